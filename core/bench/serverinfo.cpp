#include "serverinfo.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

namespace sa::bench {

std::optional<DatabaseClientInfo> parseServerInfo(const QByteArray &body, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("its /info is not a JSON object (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonValue database = document.object().value(QLatin1String("database"));
    if (!database.isObject()) {
        *error = QStringLiteral("its /info has no \"database\" object");
        return std::nullopt;
    }
    const DatabaseClientInfo client = databaseClientFromJson(database.toObject());
    if (client.driver.isEmpty() || client.poolSize <= 0) {
        *error = QStringLiteral("its /info names no driver or pool size");
        return std::nullopt;
    }
    return client;
}

ServerInfoRequest::ServerInfoRequest(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)), m_deadline(new QTimer(this))
{
    // Loopback only: an http_proxy in the environment must not see the request.
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        if (!m_reply)
            return;
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
        Q_EMIT failed(
            QStringLiteral("its /info did not answer within %1 s").arg(m_deadline->interval() / 1000.0));
    });
}

ServerInfoRequest::~ServerInfoRequest()
{
    abort();
}

void ServerInfoRequest::start(const QString &url, int timeoutMs)
{
    abort();
    QNetworkRequest request { QUrl(url) };
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    m_deadline->start(timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        if (reply != m_reply)
            return;
        m_reply = nullptr;
        m_deadline->stop();
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            Q_EMIT failed(
                QStringLiteral("its /info answered %1")
                    .arg(status > 0 ? QStringLiteral("status %1").arg(status) : reply->errorString()));
            return;
        }
        QString error;
        const auto client = parseServerInfo(reply->readAll(), &error);
        if (client)
            Q_EMIT finished(*client);
        else
            Q_EMIT failed(error);
    });
}

void ServerInfoRequest::abort()
{
    m_deadline->stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

} // namespace sa::bench
