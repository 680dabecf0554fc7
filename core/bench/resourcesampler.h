#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

class QTimer;

namespace sa::bench {

// Samples a server's whole process tree (the root and every descendant, e.g.
// gunicorn's workers) from /proc: RSS and PSS summed, CPU % from utime+stime.
class ResourceSampler final : public QObject
{
    Q_OBJECT

public:
    struct Sample
    {
        double tSeconds = 0; // since start()
        qint64 rssBytes = 0;
        qint64 pssBytes = 0;
        double cpuPercent = 0; // since the previous sample; 100 = one core busy
        int processCount = 0;
    };

    // Mean and peak over a measured window.
    struct Window
    {
        qint64 meanRssBytes = 0, meanPssBytes = 0;
        qint64 peakRssBytes = 0, peakPssBytes = 0;
        double meanCpuPercent = 0, peakCpuPercent = 0;
        int count = 0; // samples it is made of; 0 when there are none
    };

    static constexpr int kDefaultIntervalMs = 250;

    explicit ResourceSampler(QObject *parent = nullptr);

    // Samples at once, then every intervalMs until stop().
    void start(qint64 rootPid, int intervalMs = kDefaultIntervalMs);
    void stop();
    bool isRunning() const;
    // Takes a sample now (a few milliseconds of /proc reading) and records it.
    Sample sampleNow();

    const QList<Sample> &samples() const { return m_samples; }
    // The most recent sample; a zero sample before the first.
    Sample latest() const { return m_samples.isEmpty() ? Sample {} : m_samples.constLast(); }
    // Over the samples from `from` to `to` seconds (to < 0: to the last) that saw
    // a process. A window shorter than one sampling interval is stood for by the
    // last sample.
    Window window(double from, double to) const;

Q_SIGNALS:
    void sampled(const sa::bench::ResourceSampler::Sample &sample);

private:
    QTimer *m_timer = nullptr;
    qint64 m_rootPid = 0;
    QElapsedTimer m_clock;
    double m_lastT = 0;
    // CPU ticks per process (keyed by pid and start time, which survive pid reuse).
    QHash<QString, quint64> m_lastTicks;
    QList<Sample> m_samples;
};

} // namespace sa::bench

Q_DECLARE_METATYPE(sa::bench::ResourceSampler::Sample)
