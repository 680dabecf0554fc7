#include "resourcesampler.h"

#include "platform/procfs.h"

#include <QTimer>

namespace sa::bench {

ResourceSampler::ResourceSampler(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, [this] { sampleNow(); });
}

void ResourceSampler::start(qint64 rootPid, int intervalMs)
{
    m_rootPid = rootPid;
    m_samples.clear();
    m_lastTicks.clear();
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
    const bool first = m_lastTicks.isEmpty();
    QHash<QString, quint64> ticks;
    quint64 busyTicks = 0;
    for (int pid : platform::processTree(int(m_rootPid))) {
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
    const double elapsed = sample.tSeconds - m_lastT;
    if (!first && elapsed > 0)
        sample.cpuPercent = 100.0 * double(busyTicks) / double(platform::clockTicksPerSecond()) / elapsed;
    m_lastTicks = ticks;
    m_lastT = sample.tSeconds;
    m_samples.append(sample);
    Q_EMIT sampled(sample);
    return sample;
}

ResourceSampler::Window ResourceSampler::window(double from, double to) const
{
    Window w;
    qint64 rssSum = 0, pssSum = 0;
    double cpuSum = 0;
    for (const Sample &sample : m_samples) {
        if (sample.tSeconds < from || (to >= 0 && sample.tSeconds > to) || sample.processCount == 0)
            continue;
        rssSum += sample.rssBytes;
        pssSum += sample.pssBytes;
        cpuSum += sample.cpuPercent;
        w.peakRssBytes = qMax(w.peakRssBytes, sample.rssBytes);
        w.peakPssBytes = qMax(w.peakPssBytes, sample.pssBytes);
        w.peakCpuPercent = qMax(w.peakCpuPercent, sample.cpuPercent);
        ++w.count;
    }
    if (w.count == 0 && !m_samples.isEmpty()) {
        const Sample &last = m_samples.constLast();
        rssSum = w.peakRssBytes = last.rssBytes;
        pssSum = w.peakPssBytes = last.pssBytes;
        cpuSum = w.peakCpuPercent = last.cpuPercent;
        w.count = 1;
    }
    if (w.count > 0) {
        w.meanRssBytes = rssSum / w.count;
        w.meanPssBytes = pssSum / w.count;
        w.meanCpuPercent = cpuSum / w.count;
    }
    return w;
}

} // namespace sa::bench
