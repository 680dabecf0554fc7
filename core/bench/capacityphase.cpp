#include "capacityphase.h"

#include "resourcesampler.h"

#include "platform/cputime.h"

#include <QTimer>

#include <algorithm>

namespace sa::bench {

namespace {

struct WindowResources
{
    double cpuPercentMean = 0;
    qint64 meanPssBytes = 0, peakPssBytes = 0, meanRssBytes = 0;
};

// The sampler's readings inside (from, to]. Each CPU reading covers the time
// since the one before (the sampler's own 250 ms, or less for a reading taken at
// a window's edge), so the window's CPU is their mean weighted by that time. A
// window shorter than one sampling interval is represented by the reading that
// closes it.
WindowResources windowResources(const QList<ResourceSampler::Sample> &samples, double from, double to)
{
    WindowResources w;
    qint64 pss = 0, rss = 0;
    double cpu = 0, cpuSeconds = 0;
    int count = 0;
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const ResourceSampler::Sample &s = samples.at(i);
        if (s.tSeconds <= from || s.tSeconds > to || s.processCount == 0)
            continue;
        pss += s.pssBytes;
        rss += s.rssBytes;
        const double covered = i > 0 ? s.tSeconds - samples.at(i - 1).tSeconds : 0.0;
        cpu += s.cpuPercent * covered;
        cpuSeconds += covered;
        w.peakPssBytes = std::max(w.peakPssBytes, s.pssBytes);
        ++count;
    }
    if (count == 0) {
        if (samples.isEmpty())
            return w;
        const ResourceSampler::Sample &last = samples.constLast();
        pss = w.peakPssBytes = last.pssBytes;
        rss = last.rssBytes;
        cpu = last.cpuPercent;
        cpuSeconds = 1;
        count = 1;
    }
    w.cpuPercentMean = cpuSeconds > 0 ? cpu / cpuSeconds : 0;
    w.meanPssBytes = pss / count;
    w.meanRssBytes = rss / count;
    return w;
}

} // namespace

CapacityPhase::CapacityPhase(ResourceSampler *sampler, QObject *parent) : QObject(parent), m_sampler(sampler)
{
    qRegisterMetaType<CapacityStep>();
    qRegisterMetaType<CapacitySweep>();
}

CapacityPhase::~CapacityPhase()
{
    // LoadRun kills its generator's process group when destroyed.
    delete m_load.data();
}

void CapacityPhase::start(const Settings &settings)
{
    m_settings = settings;
    m_sweep = {};
    m_lastT = settings.timeOffsetSeconds;
    m_cancelled = false;
    QTimer::singleShot(0, this, [this, generation = m_generation] {
        if (generation == m_generation && !m_cancelled)
            startNext();
    });
}

void CapacityPhase::cancel()
{
    m_cancelled = true;
    ++m_generation;
    if (m_load)
        m_load->cancel();
}

void CapacityPhase::startNext()
{
    const CapacitySearch search(m_settings.plan, m_settings.closedLoopRate);
    const std::optional<PlannedStep> next = search.next(m_sweep.steps);
    if (!next) {
        m_sweep.stopReason = search.stopReason(m_sweep.steps);
        Q_EMIT finished(m_sweep);
        return;
    }
    m_step = *next;
    m_stepOffset = m_lastT;
    m_measureStartT = -1;
    m_cpuStartNs.reset();
    m_cpuEndNs.reset();
    m_windowSeconds = 0;
    m_measureEndT = -1;
    ++m_generation;
    const int index = int(m_sweep.steps.size());

    LoadRun::Settings load = m_settings.load;
    load.rate = m_step.rate;
    load.warmupSeconds = m_step.warmupSeconds;
    load.durationSeconds = m_step.durationSeconds;
    m_load = new LoadRun(this);
    connect(m_load, &LoadRun::started, this, [this, generation = m_generation] {
        const auto beginWindow = [this, generation] {
            if (generation != m_generation || m_measureStartT >= 0 || !m_sampler)
                return;
            m_measureStartT = m_sampler->sampleNow().tSeconds;
            m_cpuStartNs = platform::treeCpuNanoseconds(int(m_settings.serverPid));
            m_window.start();
            QTimer::singleShot(int(m_step.durationSeconds * 1000), this, [this, generation] {
                if (generation != m_generation || !m_sampler || !m_window.isValid())
                    return;
                m_cpuEndNs = platform::treeCpuNanoseconds(int(m_settings.serverPid));
                m_windowSeconds = double(m_window.nsecsElapsed()) / 1e9;
                m_measureEndT = m_sampler->sampleNow().tSeconds;
            });
        };
        if (m_step.warmupSeconds <= 0)
            beginWindow();
        else
            QTimer::singleShot(int(m_step.warmupSeconds * 1000), this, beginWindow);
    });
    connect(m_load, &LoadRun::intervalReady, this, [this](IntervalSample sample) {
        sample.tSeconds += m_stepOffset;
        m_lastT = std::max(m_lastT, sample.tSeconds);
        Q_EMIT intervalReady(sample);
    });
    connect(m_load, &LoadRun::finished, this,
        [this](const LoadSummary &summary, int) { onStepFinished(summary); });
    connect(m_load, &LoadRun::failed, this, [this](const QString &reason) {
        m_sweep.stopReason = tr("step %1 (%2 req/s) could not run: %3")
                                 .arg(m_sweep.steps.size() + 1)
                                 .arg(m_step.rate, 0, 'f', 0)
                                 .arg(reason);
        Q_EMIT failed(reason);
    });
    Q_EMIT stepStarted(index, m_step.rate, m_step.warmupSeconds + m_step.durationSeconds);
    m_load->start(load);
}

void CapacityPhase::onStepFinished(const LoadSummary &summary)
{
    CapacityStep step;
    step.kind = m_step.kind;
    step.offeredRate = m_step.rate;
    step.achievedRate = summary.requestsPerSecond;
    step.durationSeconds = summary.durationSeconds;
    step.requests = summary.requests;
    step.latency = summary.latency;
    step.uncorrectedLatency = summary.uncorrectedLatency;
    step.errors = summary.errors;
    step.generatorSaturated = summary.saturated;
    step.saturationReason = summary.saturationReason;
    step.connectionsBusyLagMs = summary.connectionsExhausted ? summary.scheduleLagMs : 0.0;
    step.sendLag = summary.sendLag;
    // The scheduler's CPU time over the window where it can be read, else the
    // sampler's ticks; up to the window's planned end, or now if the step ended first.
    const bool ended = m_cpuEndNs.has_value();
    const double windowSeconds
        = ended ? m_windowSeconds : (m_window.isValid() ? double(m_window.nsecsElapsed()) / 1e9 : 0.0);
    double scheduledPercent = -1;
    if (m_cpuStartNs && windowSeconds > 0) {
        const qint64 start = *m_cpuStartNs;
        const qint64 end = ended ? m_cpuEndNs.value_or(-1)
                                 : platform::treeCpuNanoseconds(int(m_settings.serverPid)).value_or(-1);
        if (end >= start)
            scheduledPercent = 100.0 * double(end - start) / 1e9 / windowSeconds;
    }
    if (m_sampler) {
        const double end = m_measureEndT >= 0 ? m_measureEndT : m_sampler->sampleNow().tSeconds;
        // The warm-up timer fires before the window ends unless the step was cut short.
        const double begin = m_measureStartT >= 0 ? m_measureStartT : end - summary.durationSeconds;
        const WindowResources resources = windowResources(m_sampler->samples(), begin, end);
        step.cpuPercentMean = resources.cpuPercentMean;
        step.meanPssBytes = resources.meanPssBytes;
        step.peakPssBytes = resources.peakPssBytes;
        step.meanRssBytes = resources.meanRssBytes;
    }
    if (scheduledPercent >= 0)
        step.cpuPercentMean = scheduledPercent;
    m_lastT = std::max(m_lastT, m_stepOffset + m_step.warmupSeconds + summary.durationSeconds);
    m_sweep.steps << step;
    if (m_load) {
        m_load->disconnect(this);
        m_load->deleteLater();
        m_load = nullptr;
    }
    Q_EMIT stepFinished(int(m_sweep.steps.size()) - 1, step);
    if (!m_cancelled)
        startNext();
}

} // namespace sa::bench
