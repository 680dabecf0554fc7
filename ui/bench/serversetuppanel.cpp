#include "serversetuppanel.h"

#include "bench/servercatalog.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace sa::ui {

using sa::bench::ServerSetup;

ServerSetupPanel::ServerSetupPanel(QWidget *parent)
    : QGroupBox(tr("Python and Node servers"), parent), m_options(ServerSetup::defaultOptions())
{
    m_button = new QPushButton(tr("Prepare Python and Node servers"), this);
    m_button->setToolTip(
        tr("Creates a venv for each Python server and installs Express for Node, in your data "
           "folder (needs python3-venv, python3-pip, npm and the network; about a minute)"));
    m_progress = new QProgressBar(this);
    m_progress->setVisible(false);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_button);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);

    connect(m_button, &QPushButton::clicked, this, [this] { isRunning() ? cancel() : start(); });
    connect(&m_setup, &ServerSetup::progress, this, &ServerSetupPanel::onProgress);
    connect(&m_setup, &ServerSetup::finished, this, &ServerSetupPanel::onFinished);
    refresh();
}

void ServerSetupPanel::refresh()
{
    if (isRunning())
        return;
    bench::ServerCatalog catalog;
    QString error;
    QStringList missing;
    if (catalog.load(bench::ServerCatalog::defaultSources(), &error)) {
        for (const bench::ServerEntry &entry : catalog.servers()) {
            if (!entry.userDefined && !entry.available
                && (entry.runtime == QLatin1String("python") || entry.runtime == QLatin1String("node")))
                missing << entry.name;
        }
    }
    setVisible(!missing.isEmpty());
    if (!missing.isEmpty() && m_status->text().isEmpty())
        m_status->setText(tr("Not prepared yet: %1.").arg(missing.join(QLatin1String(", "))));
}

QString ServerSetupPanel::statusText() const
{
    return m_status->text();
}

void ServerSetupPanel::start()
{
    QString error;
    if (!m_setup.start(m_options, &error)) {
        m_status->setText(error);
        return;
    }
    m_button->setText(tr("Cancel"));
    m_progress->setRange(0, 0); // busy until the first step reports its count
    m_progress->setVisible(true);
    m_status->setText(tr("Preparing…"));
}

void ServerSetupPanel::cancel()
{
    m_setup.cancel();
}

void ServerSetupPanel::onProgress(int done, int total, const QString &message)
{
    m_progress->setRange(0, total);
    m_progress->setValue(done);
    m_status->setText(message);
}

void ServerSetupPanel::onFinished(const ServerSetup::Outcome &outcome)
{
    m_button->setText(tr("Prepare Python and Node servers"));
    m_progress->setVisible(false);
    QStringList lines;
    if (!outcome.readyIds.isEmpty())
        lines << tr("Ready: %1.").arg(outcome.readyIds.join(QLatin1String(", ")));
    lines += outcome.problems;
    m_status->setText(lines.join(QLatin1Char('\n')));
    emit setupFinished(outcome);
    // Stays visible with the message when something is still missing.
    if (outcome.ok)
        setVisible(false);
}

} // namespace sa::ui
