// The Benchmark page's capacity run: the "Find capacity" mode and its settings,
// the plan they make, and the Capacity tab fed live and after the run. Kept apart
// from benchmarkpage.cpp, which calls these at its seams.

#include "benchmarkpage.h"

#include "capacityrunpanel.h"

#include "advisor/evidence.h"
#include "advisor/recommendation.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>

namespace sa::ui {

using sa::bench::BenchmarkPlan;
using sa::bench::ServerEntry;

namespace {

const QString kCompare = QStringLiteral("compare");
const QString kCapacity = QStringLiteral("capacity");

// The closed-loop window of a capacity run only seeds its steps: shorter than a comparison's.
constexpr double kCapacityDurationSeconds = 5;
constexpr double kCapacityWarmupSeconds = 2;

} // namespace

void BenchmarkPage::buildCapacitySettings(QWidget *settingsBox, QFormLayout *form)
{
    m_mode = new QComboBox(settingsBox);
    m_mode->setObjectName(QStringLiteral("mode"));
    m_mode->setAccessibleName(tr("What to run"));
    m_mode->addItem(tr("Compare: closed loop, as the article"), kCompare);
    m_mode->addItem(tr("Find capacity: latency against load"), kCapacity);
    m_mode->setToolTip(
        tr("Find capacity: per server, the closed-loop maximum, then open-loop steps from 10 % to "
           "120 % of it with bisection near the knee, for the highest rate it sustains within the "
           "p99 target"));
    form->insertRow(0, tr("M&ode:"), m_mode);

    const sa::bench::CapacityPlan defaults;
    m_capacitySettings = new QWidget(settingsBox);
    auto *capacityForm = new QFormLayout(m_capacitySettings);
    capacityForm->setContentsMargins(12, 0, 0, 0);
    m_stepSeconds = new QDoubleSpinBox(m_capacitySettings);
    m_stepSeconds->setObjectName(QStringLiteral("stepSeconds"));
    m_stepSeconds->setRange(0.5, 600);
    m_stepSeconds->setDecimals(1);
    m_stepSeconds->setSuffix(tr(" s"));
    m_stepSeconds->setValue(defaults.stepSeconds);
    m_stepSeconds->setAccessibleName(tr("Measured window of each step in seconds"));
    m_stepSeconds->setToolTip(
        tr("Each step also warms up for %1 s; steps at low rates last longer, for %2 requests")
            .arg(defaults.stepWarmupSeconds)
            .arg(defaults.minStepRequests));
    m_commonRate = new QDoubleSpinBox(m_capacitySettings);
    m_commonRate->setObjectName(QStringLiteral("commonRate"));
    m_commonRate->setRange(0, 10000000);
    m_commonRate->setDecimals(0);
    m_commonRate->setGroupSeparatorShown(true);
    m_commonRate->setSuffix(tr(" req/s"));
    m_commonRate->setSpecialValueText(tr("none"));
    m_commonRate->setValue(defaults.commonRate);
    m_commonRate->setAccessibleName(tr("Common rate every server is offered"));
    m_commonRate->setToolTip(
        tr("Every server also runs a step at this rate, so that CPU per request compares at "
           "the same load"));
    capacityForm->addRow(tr("Each s&tep:"), m_stepSeconds);
    capacityForm->addRow(tr("Common &rate:"), m_commonRate);
    auto *note
        = new QLabel(tr("“Measure for” is the closed-loop window the steps start from. The p99 target, the "
                        "peak and the headroom are on the Capacity tab."),
            m_capacitySettings);
    note->setWordWrap(true);
    note->setEnabled(false); // secondary text
    capacityForm->addRow(note);
    form->addRow(m_capacitySettings);
    m_capacitySettings->setVisible(false);

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        const bool capacity = capacityMode();
        m_capacitySettings->setVisible(capacity);
        if (m_run)
            m_run->setText(capacity ? tr("Find capacity") : tr("Run comparison"));
        // A window still at the other mode's default takes this mode's.
        const BenchmarkPlan comparison;
        const double fromDuration = capacity ? comparison.durationSeconds : kCapacityDurationSeconds;
        const double fromWarmup = capacity ? comparison.warmupSeconds : kCapacityWarmupSeconds;
        if (m_duration->value() == fromDuration && m_warmup->value() == fromWarmup) {
            m_duration->setValue(capacity ? kCapacityDurationSeconds : comparison.durationSeconds);
            m_warmup->setValue(capacity ? kCapacityWarmupSeconds : comparison.warmupSeconds);
        }
    });
}

bool BenchmarkPage::capacityMode() const
{
    return m_mode->currentData().toString() == kCapacity;
}

void BenchmarkPage::setCapacityMode(bool capacity)
{
    m_mode->setCurrentIndex(m_mode->findData(capacity ? kCapacity : kCompare));
}

void BenchmarkPage::writeCapacityPlan(BenchmarkPlan *plan) const
{
    plan->capacity.enabled = capacityMode();
    plan->capacity.stepSeconds = m_stepSeconds->value();
    plan->capacity.commonRate = m_commonRate->value();
    m_capacityPanel->writeReading(&plan->capacity);
    if (plan->capacity.enabled) {
        plan->openLoopRate = 0; // the steps choose their own rates
        plan->rounds = 1; // and they are its repetitions
    }
}

void BenchmarkPage::readCapacityPlan(const BenchmarkPlan &plan)
{
    setCapacityMode(plan.capacity.enabled);
    m_stepSeconds->setValue(plan.capacity.stepSeconds);
    m_commonRate->setValue(plan.capacity.commonRate);
    m_capacityPanel->setReading(plan.capacity);
}

void BenchmarkPage::startCapacityRun(const BenchmarkPlan &plan)
{
    m_capacityPanel->startRun(plan);
    m_tabs->setCurrentWidget(m_capacityPanel);
    setStatus(tr("Finding the capacity of %n target(s)…", nullptr, int(plan.targetIds.size())));
}

void BenchmarkPage::showCapacity(bool finished)
{
    if (!m_analysis.capacitySummary().isCapacityRun)
        return;
    m_capacityPanel->setAnalysis(m_analysis);
    if (finished)
        m_tabs->setCurrentWidget(m_capacityPanel);
}

void BenchmarkPage::onCapacityStep(const QString &targetId, int, const sa::bench::CapacityStep &step)
{
    const ServerEntry *entry = m_catalog.find(targetId);
    m_capacityPanel->addStep(m_cellIndex, targetId, entry ? entry->name : targetId, step);
}

void BenchmarkPage::setRecommendation(const sa::advisor::Recommendation &recommendation)
{
    // Without a latency answer the target is the questionnaire's default: the
    // target set here (or saved) stays.
    if (!recommendation.latencyTarget.fromAnswer || isRunning())
        return;
    m_capacityPanel->adoptAdvice(recommendation.latencyTarget.milliseconds,
        recommendation.latencyTarget.source, sa::advisor::statedPeak(recommendation));
}

void BenchmarkPage::restoreCapacitySettings()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("benchmark"));
    const sa::bench::CapacityPlan defaults;
    BenchmarkPlan plan;
    plan.capacity.enabled = settings.value(QStringLiteral("mode"), kCompare).toString() == kCapacity;
    plan.capacity.stepSeconds
        = settings.value(QStringLiteral("stepSeconds"), defaults.stepSeconds).toDouble();
    plan.capacity.commonRate = settings.value(QStringLiteral("commonRate"), defaults.commonRate).toDouble();
    plan.capacity.latencyTargetMs
        = settings.value(QStringLiteral("latencyTargetMs"), defaults.latencyTargetMs).toDouble();
    plan.capacity.peakRequestsPerSecond
        = settings.value(QStringLiteral("peak"), defaults.peakRequestsPerSecond).toDouble();
    plan.capacity.headroom = settings.value(QStringLiteral("headroom"), defaults.headroom).toDouble();
    plan.capacity.coresPerServer
        = settings.value(QStringLiteral("coresPerServer"), defaults.coresPerServer).toInt();
    // The window restored for the mode it was saved in stays as it was.
    const double duration = m_duration->value(), warmup = m_warmup->value();
    readCapacityPlan(plan);
    m_duration->setValue(duration);
    m_warmup->setValue(warmup);
}

void BenchmarkPage::saveCapacitySettings() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("benchmark"));
    BenchmarkPlan plan;
    writeCapacityPlan(&plan);
    settings.setValue(QStringLiteral("mode"), plan.capacity.enabled ? kCapacity : kCompare);
    settings.setValue(QStringLiteral("stepSeconds"), plan.capacity.stepSeconds);
    settings.setValue(QStringLiteral("commonRate"), plan.capacity.commonRate);
    settings.setValue(QStringLiteral("latencyTargetMs"), plan.capacity.latencyTargetMs);
    settings.setValue(QStringLiteral("peak"), plan.capacity.peakRequestsPerSecond);
    settings.setValue(QStringLiteral("headroom"), plan.capacity.headroom);
    settings.setValue(QStringLiteral("coresPerServer"), plan.capacity.coresPerServer);
}

} // namespace sa::ui
