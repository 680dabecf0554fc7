#pragma once

#include "results.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace sa::bench {

// The "database" object of a server's /info body (servers/CONTRACT.md); on a
// body that is not one, std::nullopt with *error saying what is wrong.
std::optional<DatabaseClientInfo> parseServerInfo(const QByteArray &body, QString *error);

// Reads a running server's /info for the run's record: its database driver and
// pool. One GET on loopback, bounded in time; finished() or failed(), never both.
class ServerInfoRequest final : public QObject
{
    Q_OBJECT

public:
    explicit ServerInfoRequest(QObject *parent = nullptr);
    ~ServerInfoRequest() override;

    void start(const QString &url, int timeoutMs = 5000);
    // No signal follows.
    void abort();

Q_SIGNALS:
    void finished(const sa::bench::DatabaseClientInfo &client);
    void failed(const QString &reason);

private:
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_deadline = nullptr;
};

} // namespace sa::bench
