#include "resourcesampler.h"

#include "platform/containment.h"
#include "platform/procfs.h"

#include <QTimer>

namespace sa::bench {

ResourceSampler::ResourceSampler(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, [this] { sampleNow(); });
}

void ResourceSampler::start(qint64 rootPid, int intervalMs, const platform::ChildContainment *containment)
{
    m_rootPid = rootPid;
    m_containment = containment;
    m_samples.clear();
    m_lastTicks.clear();
    m_lastCgroupUsec = -1;
    m_clock.start();
    m_lastT = 0;
    sampleNow();
    m_timer->start(intervalMs);
}

void ResourceSampler::stop()
{
    m_timer->stop();
}

bool ResourceSampler::isRunning() const
{
    return m_timer->isActive();
}

ResourceSampler::Sample ResourceSampler::sampleNow()
{
    Sample sample;
    sample.tSeconds = m_clock.isValid() ? double(m_clock.nsecsElapsed()) / 1e9 : 0.0;
    const double elapsed = sample.tSeconds - m_lastT;
    const bool first = m_samples.isEmpty();
    const bool inCgroup = m_containment && m_containment->kind() == platform::ChildContainment::Kind::Cgroup;
    QHash<QString, quint64> ticks;
    quint64 busyTicks = 0;
    const QList<int> pids = inCgroup ? m_containment->members() : platform::processTree(int(m_rootPid));
    for (int pid : pids) {
        const auto stat = platform::readStat(pid);
        const auto memory = platform::readSmapsRollup(pid);
        if (!stat || !memory)
            continue; // exited between the listing and the reading
        ++sample.processCount;
        sample.rssBytes += memory->rssBytes;
        sample.pssBytes += memory->pssBytes;
        const QString key = QString::number(pid) + QLatin1Char(':') + QString::number(stat->startTimeTicks);
        const quint64 total = stat->utimeTicks + stat->stimeTicks;
        ticks.insert(key, total);
        // A process born since the last sample spent all its ticks in this interval.
        const quint64 before = m_lastTicks.value(key, 0);
        busyTicks += total >= before ? total - before : 0;
    }
    if (!first && elapsed > 0)
        sample.cpuPercent = 100.0 * double(busyTicks) / double(platform::clockTicksPerSecond()) / elapsed;
    if (const auto usage = inCgroup ? m_containment->usage() : std::nullopt) {
        sample.cgroupMemoryBytes = usage->memoryBytes;
        if (usage->cpuUsageUsec >= 0) {
            if (m_lastCgroupUsec >= 0 && elapsed > 0)
                sample.cgroupCpuPercent
                    = 100.0 * double(usage->cpuUsageUsec - m_lastCgroupUsec) / 1e6 / elapsed;
            else if (m_lastCgroupUsec < 0)
                sample.cgroupCpuPercent = 0; // no baseline yet, as for the /proc figure
            m_lastCgroupUsec = usage->cpuUsageUsec;
        }
    }
    m_lastTicks = ticks;
    m_lastT = sample.tSeconds;
    m_samples.append(sample);
    Q_EMIT sampled(sample);
    return sample;
}

ResourceSampler::Figures ResourceSampler::figures(double fromT, double toT) const
{
    Figures f;
    QList<Sample> window;
    for (const Sample &sample : m_samples) {
        if (sample.tSeconds >= fromT && (toT < 0 || sample.tSeconds <= toT) && sample.processCount > 0)
            window.append(sample);
    }
    if (window.isEmpty() && !m_samples.isEmpty())
        window.append(m_samples.constLast()); // a window shorter than one sampling interval
    if (window.isEmpty())
        return f;
    qint64 rss = 0, pss = 0, cgroupMemory = 0;
    double cpu = 0, cgroupCpu = 0;
    int cgroupMemoryCount = 0, cgroupCpuCount = 0;
    for (const Sample &s : std::as_const(window)) {
        rss += s.rssBytes;
        pss += s.pssBytes;
        cpu += s.cpuPercent;
        f.peakRssBytes = qMax(f.peakRssBytes, s.rssBytes);
        f.peakPssBytes = qMax(f.peakPssBytes, s.pssBytes);
        f.peakCpuPercent = qMax(f.peakCpuPercent, s.cpuPercent);
        if (s.cgroupMemoryBytes >= 0) {
            cgroupMemory += s.cgroupMemoryBytes;
            ++cgroupMemoryCount;
            f.peakCgroupMemoryBytes = qMax(f.peakCgroupMemoryBytes, s.cgroupMemoryBytes);
        }
        if (s.cgroupCpuPercent >= 0) {
            cgroupCpu += s.cgroupCpuPercent;
            ++cgroupCpuCount;
            f.peakCgroupCpuPercent = qMax(f.peakCgroupCpuPercent, s.cgroupCpuPercent);
        }
    }
    const qsizetype count = window.size();
    f.meanRssBytes = rss / count;
    f.meanPssBytes = pss / count;
    f.meanCpuPercent = cpu / double(count);
    if (cgroupMemoryCount > 0)
        f.meanCgroupMemoryBytes = cgroupMemory / cgroupMemoryCount;
    if (cgroupCpuCount > 0)
        f.meanCgroupCpuPercent = cgroupCpu / cgroupCpuCount;
    return f;
}

} // namespace sa::bench
