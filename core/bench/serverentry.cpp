#include "serverentry.h"

namespace sa::bench {

QString expandPlaceholders(QString text, const QMap<QString, QString> &values)
{
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        text.replace(QLatin1Char('{') + it.key() + QLatin1Char('}'), it.value());
    return text;
}

LaunchCommand ServerEntry::launchCommand(const QString &host, int port, int workers) const
{
    const QMap<QString, QString> values {
        { QStringLiteral("host"), host },
        { QStringLiteral("port"), QString::number(port) },
        { QStringLiteral("workers"), QString::number(workers) },
    };
    LaunchCommand command;
    command.program = expandPlaceholders(program, values);
    for (const QString &argument : arguments)
        command.arguments << expandPlaceholders(argument, values);
    command.workingDirectory = expandPlaceholders(workingDirectory, values);
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        command.environment.insert(it.key(), expandPlaceholders(it.value(), values));
    // The contract's variables win over anything the entry says.
    command.environment.insert(QStringLiteral("HOST"), host);
    command.environment.insert(QStringLiteral("PORT"), QString::number(port));
    command.environment.insert(QStringLiteral("WORKERS"), QString::number(workers));
    return command;
}

} // namespace sa::bench
