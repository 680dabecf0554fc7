#pragma once
// A server's memory and CPU across hosts. `stackadvisor servers serve` runs one
// sample server with a ResourceSampler beside it and serves the samples over
// HTTP (SamplerEndpoint); a benchmark on another host reads them
// (RemoteSampler) into the same figures its own sampler gives.
//
//   GET /samples?since=T   {"schema":"stackadvisor-samples","server":ID,"pid":P,
//                           "now":T_NOW,"samples":[{"t":…,"rssBytes":…,"pssBytes":…,
//                           "cpuPercent":…,"processes":…,"cgroupMemoryBytes":…,
//                           "cgroupCpuPercent":…},…]}   samples with t > T
//   GET /healthz           ok
//
// t is seconds since the sampler started, on the serving host's clock; the
// reader maps it onto its own clock from "now".

#include "resourcesampler.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;
class QTcpServer;
class QTcpSocket;
class QTimer;

namespace sa::bench {

class SamplerEndpoint final : public QObject
{
    Q_OBJECT

public:
    SamplerEndpoint(const ResourceSampler *sampler, const QString &serverId, QObject *parent = nullptr);
    void setPid(qint64 pid) { m_pid = pid; } // the server's, once it runs
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;

private:
    void answer(QTcpSocket *socket);

    const ResourceSampler *m_sampler = nullptr; // outlives the endpoint
    QString m_serverId;
    qint64 m_pid = 0;
    QTcpServer *m_server = nullptr;
};

// The JSON of GET /samples, and back (nullopt and why when it is not that).
QByteArray samplesToJson(
    const QString &serverId, qint64 pid, double now, const QList<ResourceSampler::Sample> &samples);
struct RemoteSamples
{
    QString serverId;
    qint64 pid = 0;
    double now = 0;
    QList<ResourceSampler::Sample> samples;
};
std::optional<RemoteSamples> samplesFromJson(const QByteArray &json, QString *error);

class RemoteSampler final : public QObject
{
    Q_OBJECT

public:
    // base: the sampler's address, e.g. http://127.0.0.2:9100
    explicit RemoteSampler(const QUrl &base, QObject *parent = nullptr);
    // Polls every intervalMs; sample times are seconds since start() on this host.
    void start(int intervalMs);
    void stop();
    const QList<ResourceSampler::Sample> &samples() const { return m_samples; }
    ResourceSampler::Sample latest() const
    {
        return m_samples.isEmpty() ? ResourceSampler::Sample {} : m_samples.constLast();
    }
    double elapsedSeconds() const { return m_clock.isValid() ? double(m_clock.nsecsElapsed()) / 1e9 : 0; }
    // The sample server the sampler says it measures ("" before its first answer).
    QString serverId() const { return m_serverId; }
    // The last poll's problem ("" while the answers come).
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void sampled(const sa::bench::ResourceSampler::Sample &sample);

private:
    void poll();

    QUrl m_base;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock;
    double m_lastRemoteT = -1;
    bool m_inFlight = false;
    QString m_lastError;
    QString m_serverId;
    QList<ResourceSampler::Sample> m_samples;
};

} // namespace sa::bench
