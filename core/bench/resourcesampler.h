#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

class QTimer;

namespace sa::platform {
class ChildContainment;
}

namespace sa::bench {

// Samples a server's whole process tree: from /proc, RSS and PSS summed over its
// processes and CPU % from utime+stime; and, when the server runs in a cgroup of
// its own, the cgroup's own counters beside them (charged memory, cpu.stat). The
// processes are the cgroup's members (none escapes it), else the root and its
// descendants.
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
        // The cgroup's counters (CgroupUsage); -1 when the tree is not in a cgroup
        // or the cgroup does not count memory.
        qint64 cgroupMemoryBytes = -1;
        double cgroupCpuPercent = -1; // from cpu.stat usage_usec, since the previous sample
    };

    // Means and peaks over part of the samples (a measured window).
    struct Figures
    {
        qint64 meanRssBytes = 0, peakRssBytes = 0;
        qint64 meanPssBytes = 0, peakPssBytes = 0;
        double meanCpuPercent = 0, peakCpuPercent = 0;
        qint64 meanCgroupMemoryBytes = -1, peakCgroupMemoryBytes = -1; // -1: not measured
        double meanCgroupCpuPercent = -1, peakCgroupCpuPercent = -1;
    };

    static constexpr int kDefaultIntervalMs = 250;

    explicit ResourceSampler(QObject *parent = nullptr);

    // Samples at once, then every intervalMs until stop(). With a containment, its
    // members and cgroup counters are read (it must outlive the sampling).
    void start(qint64 rootPid, int intervalMs = kDefaultIntervalMs,
        const platform::ChildContainment *containment = nullptr);
    void stop();
    bool isRunning() const;
    // Takes a sample now (a few milliseconds of /proc reading) and records it.
    Sample sampleNow();

    const QList<Sample> &samples() const { return m_samples; }
    // The most recent sample; a zero sample before the first.
    Sample latest() const { return m_samples.isEmpty() ? Sample {} : m_samples.constLast(); }
    // Over the samples taken from fromT to toT (toT < 0: to the end) with a process
    // alive; a window shorter than one interval is represented by the last sample.
    Figures figures(double fromT, double toT) const;

Q_SIGNALS:
    void sampled(const sa::bench::ResourceSampler::Sample &sample);

private:
    QTimer *m_timer = nullptr;
    qint64 m_rootPid = 0;
    const platform::ChildContainment *m_containment = nullptr;
    QElapsedTimer m_clock;
    double m_lastT = 0;
    // CPU ticks per process (keyed by pid and start time, which survive pid reuse).
    QHash<QString, quint64> m_lastTicks;
    qint64 m_lastCgroupUsec = -1;
    QList<Sample> m_samples;
};

} // namespace sa::bench

Q_DECLARE_METATYPE(sa::bench::ResourceSampler::Sample)
