#include "remotesampler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace sa::bench {

namespace {

const QString kSchema = QStringLiteral("stackadvisor-samples");
// A request line and headers longer than this are not a sampler client's.
constexpr qint64 kMaxRequestBytes = 8192;

QByteArray response(int status, const QByteArray &reason, const QByteArray &type, const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\nContent-Type: " + type
        + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

SamplerEndpoint::SamplerEndpoint(const ResourceSampler *sampler, const QString &serverId, QObject *parent)
    : QObject(parent), m_sampler(sampler), m_serverId(serverId), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
        }
    });
}

bool SamplerEndpoint::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_server->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2 for the sampler: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_server->errorString());
        return false;
    }
    return true;
}

quint16 SamplerEndpoint::port() const
{
    return m_server->serverPort();
}

void SamplerEndpoint::answer(QTcpSocket *socket)
{
    const QByteArray pending = socket->peek(kMaxRequestBytes + 1);
    const qsizetype end = pending.indexOf("\r\n\r\n");
    if (end < 0) {
        if (pending.size() > kMaxRequestBytes) {
            socket->write(
                response(431, "Request Header Fields Too Large", "text/plain", "request too large\n"));
            socket->disconnectFromHost();
        }
        return; // wait for the rest of the headers
    }
    const QByteArray head = socket->read(end + 4);
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    QByteArray reply;
    if (requestLine.size() != 3 || requestLine.at(0) != "GET") {
        reply = response(405, "Method Not Allowed", "text/plain", "only GET /samples and GET /healthz\n");
    } else {
        const QUrl url(QString::fromLatin1(requestLine.at(1)));
        if (url.path() == QLatin1String("/healthz")) {
            reply = response(200, "OK", "text/plain", "ok");
        } else if (url.path() == QLatin1String("/samples") && m_sampler) {
            bool ok = true;
            const QString sinceText = QUrlQuery(url).queryItemValue(QStringLiteral("since"));
            const double since = sinceText.isEmpty() ? -1 : sinceText.toDouble(&ok);
            if (!ok) {
                reply = response(400, "Bad Request", "text/plain", "since must be a number of seconds\n");
            } else {
                QList<ResourceSampler::Sample> newer;
                for (const ResourceSampler::Sample &s : m_sampler->samples()) {
                    if (s.tSeconds > since)
                        newer << s;
                }
                const double now = m_sampler->elapsedSeconds();
                reply = response(200, "OK", "application/json", samplesToJson(m_serverId, m_pid, now, newer));
            }
        } else {
            reply = response(404, "Not Found", "text/plain", "GET /samples?since=T or /healthz\n");
        }
    }
    socket->write(reply);
    socket->disconnectFromHost();
}

QByteArray samplesToJson(
    const QString &serverId, qint64 pid, double now, const QList<ResourceSampler::Sample> &samples)
{
    QJsonArray list;
    for (const ResourceSampler::Sample &s : samples) {
        list.append(QJsonObject { { QStringLiteral("t"), s.tSeconds },
            { QStringLiteral("rssBytes"), s.rssBytes }, { QStringLiteral("pssBytes"), s.pssBytes },
            { QStringLiteral("cpuPercent"), s.cpuPercent }, { QStringLiteral("processes"), s.processCount },
            { QStringLiteral("cgroupMemoryBytes"), s.cgroupMemoryBytes },
            { QStringLiteral("cgroupCpuPercent"), s.cgroupCpuPercent } });
    }
    return QJsonDocument(QJsonObject { { QStringLiteral("schema"), kSchema },
                             { QStringLiteral("server"), serverId }, { QStringLiteral("pid"), pid },
                             { QStringLiteral("now"), now }, { QStringLiteral("samples"), list } })
        .toJson(QJsonDocument::Compact);
}

std::optional<RemoteSamples> samplesFromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parse);
    const QJsonObject o = document.object();
    if (parse.error != QJsonParseError::NoError || o.value(QLatin1String("schema")).toString() != kSchema
        || !o.value(QLatin1String("samples")).isArray()) {
        *error = QStringLiteral("not a Stack Advisor sampler's answer (expected %1 JSON)").arg(kSchema);
        return std::nullopt;
    }
    RemoteSamples result;
    result.serverId = o.value(QLatin1String("server")).toString();
    result.pid = o.value(QLatin1String("pid")).toInteger();
    result.now = o.value(QLatin1String("now")).toDouble();
    for (const QJsonValue &value : o.value(QLatin1String("samples")).toArray()) {
        const QJsonObject s = value.toObject();
        ResourceSampler::Sample sample;
        sample.tSeconds = s.value(QLatin1String("t")).toDouble();
        sample.rssBytes = s.value(QLatin1String("rssBytes")).toInteger();
        sample.pssBytes = s.value(QLatin1String("pssBytes")).toInteger();
        sample.cpuPercent = s.value(QLatin1String("cpuPercent")).toDouble();
        sample.processCount = s.value(QLatin1String("processes")).toInt();
        sample.cgroupMemoryBytes = s.value(QLatin1String("cgroupMemoryBytes")).toInteger(-1);
        sample.cgroupCpuPercent = s.value(QLatin1String("cgroupCpuPercent")).toDouble(-1);
        result.samples << sample;
    }
    return result;
}

RemoteSampler::RemoteSampler(const QUrl &base, QObject *parent)
    : QObject(parent), m_base(base), m_network(new QNetworkAccessManager(this)), m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &RemoteSampler::poll);
}

void RemoteSampler::start(int intervalMs)
{
    m_samples.clear();
    m_lastRemoteT = -1;
    m_clock.start();
    m_timer->start(intervalMs);
    poll();
}

void RemoteSampler::stop()
{
    m_timer->stop();
}

void RemoteSampler::poll()
{
    if (m_inFlight)
        return;
    QUrl url = m_base.resolved(QUrl(QStringLiteral("/samples")));
    url.setQuery(QStringLiteral("since=%1").arg(m_lastRemoteT, 0, 'f', 6));
    QNetworkRequest request(url);
    request.setTransferTimeout(2000);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    m_inFlight = true;
    const double askedAt = elapsedSeconds();
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, askedAt] {
        reply->deleteLater();
        m_inFlight = false;
        if (reply->error() != QNetworkReply::NoError) {
            m_lastError = QStringLiteral("%1: %2").arg(reply->url().toString(), reply->errorString());
            return;
        }
        QString error;
        const auto answer = samplesFromJson(reply->readAll(), &error);
        if (!answer) {
            m_lastError = reply->url().toString() + QStringLiteral(": ") + error;
            return;
        }
        m_lastError.clear();
        m_serverId = answer->serverId;
        // Its "now" was read about half way between asking and hearing back.
        const double offset = (askedAt + elapsedSeconds()) / 2.0 - answer->now;
        for (ResourceSampler::Sample sample : answer->samples) {
            m_lastRemoteT = std::max(m_lastRemoteT, sample.tSeconds);
            sample.tSeconds += offset;
            m_samples << sample;
            Q_EMIT sampled(sample);
        }
    });
}

} // namespace sa::bench
