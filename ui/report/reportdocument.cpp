#include "reportdocument.h"

#include "capacitysection.h"
#include "reporttrust.h"

#include "advisor/capacity.h"
#include "advisor/evidence.h"
#include "bench/cpuassignment.h"
#include "bench/format.h"
#include "bench/machineinfo.h"
#include <cmath>

#include <QLocale>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::ui::report {

namespace {

QString formatGrouped(double value, int decimals = 0)
{
    return fmt::number(value, decimals);
}

ReportBlock paragraph(const QString &text)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Paragraph;
    block.text = text;
    return block;
}

ReportBlock heading(const QString &text)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Heading;
    block.title = text;
    return block;
}

ReportBlock note(const QString &title, const QString &text, bool warning = false)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Note;
    block.title = title;
    block.text = text;
    block.warning = warning;
    return block;
}

ReportBlock bullets(const QStringList &items)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Bullets;
    block.items = items;
    return block;
}

ReportBlock tableBlock(ReportTable table)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Table;
    block.table = std::move(table);
    return block;
}

ReportBlock chartsBlock(QList<ReportChart> charts)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Charts;
    block.charts = std::move(charts);
    return block;
}

ReportChart bar(charts::BarMetric metric)
{
    ReportChart chart;
    chart.kind = ReportChart::Kind::Bar;
    chart.bar = metric;
    return chart;
}

ReportChart timeline(charts::TimelineMetric metric)
{
    ReportChart chart;
    chart.kind = ReportChart::Kind::Timeline;
    chart.timeline = metric;
    return chart;
}

const QString kNoAnswers
    = u"This report has no questionnaire answers, so it gives no verdict. Answer the "
      "questionnaire in the Advisor area, or pass a file: stackadvisor report --answers FILE "
      "(format: README, \"Advisor\")."_s;
const QString kNoRun
    = u"This report has no benchmark run, so it has no measured figures. Run the servers in the "
      "Benchmark area, or: stackadvisor bench, then stackadvisor report --run latest."_s;

// The JSON vs database figures of a run (core's DatabaseGap); none without database cells.
QList<ReportBlock> databaseGapBlocks(const bench::RunAnalysis &a)
{
    const bench::DatabaseGap &gap = a.databaseGap();
    if (gap.isEmpty())
        return {};
    QList<ReportBlock> blocks;
    blocks << heading(u"JSON vs database"_s);
    blocks << paragraph(
        u"The article: “The bottleneck is usually the database or the API, not the Python code itself.” "
        "Each target's requests per second with PostgreSQL in the loop, beside its in-process JSON API "
        "figure from the same run at the same connections."_s);
    const bench::DatabaseGapTable t = gap.table();
    ReportTable table;
    table.header = t.header;
    table.rows = t.rows;
    table.rowTargetIds = t.rowTargetIds;
    table.numericColumns = t.numericColumns;
    for (int i = 0; i < t.header.size(); ++i)
        table.columnWidths << (i == 0 ? 2.6 : i == 1 ? 0.8 : i % 2 == 0 ? 1.1 : 0.8);
    blocks << tableBlock(table);
    if (const QString summary = gap.summary(); !summary.isEmpty())
        blocks << paragraph(summary);
    return blocks;
}

// The methodology rows of the database scenarios: worker rule, PostgreSQL, its placement and pools.
QList<QStringList> databaseSettingRows(const bench::RunResult &run)
{
    QList<QStringList> rows;
    QStringList workers;
    for (const bench::TargetResult &t : run.targets) {
        if (t.workerRule.isEmpty() || t.workerRule == bench::workerRuleId(bench::WorkerRule::Cores))
            continue;
        const QString line = u"%1, %2: %3 — %4"_s.arg(t.displayName, bench::scenarioId(t.scenario))
                                 .arg(t.workers)
                                 .arg(t.workerRuleSource);
        if (!workers.contains(line))
            workers << line;
    }
    if (!workers.isEmpty())
        rows << QStringList { u"Workers for I/O-bound cells"_s, workers.join(u"; "_s) };
    if (!run.database)
        return rows;
    const bench::DatabaseRecord &db = *run.database;
    rows << QStringList { u"Database"_s,
        u"PostgreSQL %1, a private cluster of the app (data folder %2%3), on 127.0.0.1:%4, run as '%5'"_s.arg(
            db.version.isEmpty() ? u"(did not start)"_s : db.version, db.dataFolder,
            db.created ? u", created by this run"_s : QString(), QString::number(db.port), db.runAs) };
    rows << QStringList { u"Database CPU set"_s, db.placementText };
    QStringList settings;
    for (auto it = db.configuration.cbegin(); it != db.configuration.cend(); ++it)
        settings << it.key() + u" = "_s + it.value();
    if (!settings.isEmpty())
        rows << QStringList { u"Database settings"_s, settings.join(u", "_s) };
    QStringList pools;
    for (const bench::TargetResult &t : run.targets) {
        if (!t.database || !t.database->client)
            continue;
        const bench::DatabaseClientInfo &c = *t.database->client;
        const QString line = u"%1: %2 %3, %4, %5 per pool × %6"_s.arg(t.displayName, c.driver,
            c.driverVersion, c.pool, QString::number(c.poolSize), QString::number(c.pools));
        if (!pools.contains(line))
            pools << line;
    }
    if (!pools.isEmpty())
        rows << QStringList { u"Database drivers and pools"_s, pools.join(u"; "_s) };
    if (!db.failure.isEmpty())
        rows << QStringList { u"Database problem"_s, db.failure };
    return rows;
}

// ---- sections -------------------------------------------------------------

// The criteria the executive summary explains in full (the three that weigh
// most, with points): the scores table refers to it rather than saying them twice.
QList<advisor::Contribution> weightiest(const advisor::Recommendation &r)
{
    QList<advisor::Contribution> top = r.contributions;
    std::stable_sort(top.begin(), top.end(),
        [](const auto &a, const auto &b) { return std::abs(a.lead()) > std::abs(b.lead()); });
    top = top.mid(0, 3);
    top.removeIf([](const advisor::Contribution &c) { return c.lead() == 0; });
    return top;
}

ReportSection summarySection(const ReportInputs &in, const ReportDocument &doc)
{
    ReportSection s { u"summary"_s, u"Executive summary"_s, {} };
    if (in.recommendation) {
        const advisor::Recommendation &r = *in.recommendation;
        ReportBlock verdict;
        verdict.kind = ReportBlock::Kind::Verdict;
        verdict.title = r.headline;
        verdict.text = u"Go %1 · Python %2 points · lead %3 · confidence %4"_s.arg(
            advisor::formatPoints(r.goScore), advisor::formatPoints(r.pythonScore),
            advisor::formatPoints(r.margin), advisor::confidenceName(r.confidence));
        verdict.items = { verdictName(r.verdict) };
        s.blocks << verdict;
        s.blocks << note(r.confidence == advisor::Confidence::Low
                ? r.verdictLine()
                : u"Confidence: %1"_s.arg(advisor::confidenceName(r.confidence)),
            r.confidenceText, r.confidence == advisor::Confidence::Low);
        s.blocks << paragraph(r.explanation);

        s.blocks << heading(u"The three reasons that weigh most"_s);
        QStringList reasons;
        for (const advisor::Contribution &c : weightiest(r)) {
            reasons << u"%1 (%2 +%3 points): %4"_s.arg(c.title, c.lead() > 0 ? u"Go"_s : u"Python"_s,
                advisor::formatPoints(std::abs(c.lead())), c.reasons.join(u' '));
        }
        if (reasons.isEmpty())
            reasons << u"No answer put points on any criterion."_s;
        s.blocks << bullets(reasons);
    } else {
        s.blocks << note(u"No verdict: the questionnaire was not answered"_s, kNoAnswers, true);
    }

    s.blocks << heading(u"Measured on this machine"_s);
    if (in.analysis) {
        const bench::RunAnalysis &a = *in.analysis;
        ReportBlock figures;
        figures.kind = ReportBlock::Kind::KeyFigures;
        // Each figure with its spread and, beside it, its doubts (keyFigure()).
        for (const bench::CellAnalysis *cell : a.fastestPerLanguage().mid(0, 3))
            figures.figures << keyFigure(a, *cell);
        if (figures.figures.isEmpty()) {
            s.blocks << note(u"No comparable figures"_s,
                u"No target of run %1 completed with comparable figures; see Benchmark results for the reasons."_s
                    .arg(a.run().id),
                true);
        } else {
            s.blocks << figures;
        }
        if (const QStringList out = leftOut(a); !out.isEmpty())
            s.blocks << note(u"Not in these figures: not comparable"_s, out.join(u"; "_s) + u'.', true);
        if (const bench::ClaimRow *row = a.goVsPython();
            row && row->verdict != bench::ClaimVerdict::NotMeasured) {
            s.blocks << paragraph(u"The article's “%1” for Go over Python measures %2 here: %3."_s.arg(
                row->claimed.text, row->measured.text, midSentence(claimVerdictCell(*row))));
        }
        int failed = 0;
        for (const bench::TargetResult &t : a.run().targets)
            failed += t.status != bench::TargetStatus::Completed ? 1 : 0;
        if (failed > 0)
            s.blocks << note(u"%1 of %2 targets did not complete"_s.arg(failed).arg(a.run().targets.size()),
                u"Their reasons are in section 5, Failures and warnings."_s, true);
    } else {
        s.blocks << note(u"No measurements"_s, kNoRun, true);
    }

    if (in.recommendation) {
        s.blocks << heading(u"What would change the verdict"_s);
        QStringList changes;
        for (const advisor::Flip &flip : in.recommendation->flips.mid(0, 3))
            changes << flip.sentence;
        if (changes.isEmpty() && in.recommendation->closest)
            changes << u"No single change of answer flips the verdict. The closest: "_s
                    + in.recommendation->closest->sentence;
        if (changes.isEmpty())
            changes << u"No single change of answer flips the verdict."_s;
        s.blocks << bullets(changes);
    }
    Q_UNUSED(doc);
    return s;
}

ReportSection answersSection(const ReportInputs &in)
{
    ReportSection s { u"answers"_s, u"Questionnaire answers"_s, {} };
    if (!in.recommendation) {
        s.blocks << note(u"No answers"_s, kNoAnswers, true);
        return s;
    }
    if (!in.answersSource.isEmpty())
        s.blocks << paragraph(u"Answers from %1."_s.arg(in.answersSource));
    ReportTable table;
    table.header = { u"Question"_s, u"Answer"_s };
    table.columnWidths = { 3, 2 };
    for (const advisor::AnsweredQuestion &answer : in.recommendation->answers)
        table.rows << QStringList { answer.title, answer.text };
    s.blocks << tableBlock(table);
    return s;
}

ReportSection scoresSection(const ReportInputs &in)
{
    ReportSection s { u"scores"_s, u"Scores per criterion"_s, {} };
    if (!in.recommendation) {
        s.blocks << note(u"No scores"_s, kNoAnswers, true);
        return s;
    }
    const advisor::Recommendation &r = *in.recommendation;
    s.blocks << paragraph(
        u"Each answer gives points to Go, to Python or to neither, in the same points for both stacks; a "
        "stack's score is the sum of its points. Go %1, Python %2 points. Weight: the most points a "
        "criterion can give a stack; the next column, the factor that weight would have to change by to "
        "change the verdict."_s.arg(advisor::formatPoints(r.goScore), advisor::formatPoints(r.pythonScore)));
    ReportChart scores;
    scores.kind = ReportChart::Kind::Scores;
    s.blocks << chartsBlock({ scores });
    ReportTable table;
    table.header = { u"Criterion"_s, u"Go"_s, u"Python"_s, u"Weight"_s, u"To change the verdict"_s,
        u"Why (the article's reasons)"_s };
    table.columnWidths = { 2.2, 0.8, 0.9, 0.9, 1.6, 5.2 };
    table.numericColumns = { 1, 2, 3 };
    QStringList explained;
    for (const advisor::Contribution &c : weightiest(r))
        explained << c.title;
    for (const advisor::Contribution &c : r.contributions) {
        const QString sensitivity = c.sensitivity
            ? u"×%1 or %2 → %3"_s.arg(QString::number(c.sensitivity->shownMultiplier, 'f', 2),
                c.sensitivity->orMore ? u"more"_s : u"less"_s, verdictName(c.sensitivity->verdict))
            : u"—"_s;
        table.rows << QStringList { c.title, advisor::formatPoints(c.go), advisor::formatPoints(c.python),
            advisor::formatPoints(c.weight), sensitivity,
            explained.contains(c.title) ? u"In the executive summary (“The three reasons that weigh most”)."_s
                                        : c.reason() };
    }
    table.rows << QStringList { u"Total"_s, advisor::formatPoints(r.goScore),
        advisor::formatPoints(r.pythonScore), QString(), QString(), QString() };
    s.blocks << tableBlock(table);
    if (!r.scoringRules.isEmpty()) {
        s.blocks << heading(u"How the scores are computed"_s);
        s.blocks << bullets(r.scoringRules);
    }
    return s;
}

ReportSection resultsSection(const ReportInputs &in)
{
    ReportSection s { u"results"_s, u"Benchmark results"_s, {} };
    if (!in.analysis) {
        s.blocks << note(u"No benchmark run"_s, kNoRun, true);
        return s;
    }
    const bench::RunAnalysis &a = *in.analysis;
    const bench::RunResult &run = a.run();
    s.blocks << paragraph(u"Run %1, started %2 UTC, %3 %4, status %5. Every target ran alone on the same "
                          "machine under the same load; the figures below cover the measured window only."_s
                              .arg(run.id >= 0 ? QString::number(run.id) : u"(not saved)"_s,
                                  run.startedAt.toUTC().toString(u"yyyy-MM-dd HH:mm"_s))
                              .arg(run.targets.size())
                              .arg(run.targets.size() == 1 ? u"target cell"_s : u"target cells"_s,
                                  bench::runStatusId(run.status)));
    // The columns are core's: the figures read as in `stackadvisor bench`.
    const QList<bench::ResultColumn> columns = bench::resultColumns(bench::ResultView::Pdf, a);
    ReportTable table;
    for (int i = 0; i < columns.size(); ++i) {
        const bench::ResultColumn &c = columns.at(i);
        table.header << c.title;
        table.columnWidths << (i == 0 ? 3.2 : c.numeric ? 1.1 : 1.4);
        if (c.numeric)
            table.numericColumns << i;
    }
    for (const bench::CellAnalysis &cell : a.cells()) {
        QStringList row;
        for (const bench::ResultColumn &c : columns)
            row << c.text(a, cell);
        table.rows << row;
        table.rowTargetIds << a.result(cell).targetId;
        if (!cell.comparable)
            table.warningRows << int(table.rows.size() - 1);
    }
    s.blocks << tableBlock(table);
    if (std::any_of(
            columns.cbegin(), columns.cend(), [](const bench::ResultColumn &c) { return c.whenPresent; }))
        s.blocks << paragraph(
            u"CPU % and Peak PSS are the server's whole process tree; DB CPU % and DB peak PSS are "
            "PostgreSQL's (the postmaster and every backend serving the server's pool), sampled the same way "
            "over the same window."_s);
    s.blocks << databaseGapBlocks(a);
    if (run.plan.rounds > 1)
        s.blocks << paragraph(
            u"Every figure is the median of the target's rounds; the range is its slowest and fastest round, "
            "CV their coefficient of variation (standard deviation ÷ mean); memory in MiB (2^20 bytes)."_s);
    // The doubts about these figures, right under them.
    if (const QStringList doubts = doubtsAboutFigures(a); !doubts.isEmpty()) {
        s.blocks << heading(u"Doubts about these figures"_s);
        s.blocks << bullets(doubts);
    }

    if (a.anyComparable()) {
        s.blocks << heading(u"Final figures"_s);
        s.blocks << paragraph(
            u"Bars are medians, whiskers the slowest and fastest round; ⚠ after a name: that target has a "
            "doubt above. Latency is on a log scale."_s);
        s.blocks << chartsBlock(
            { bar(charts::BarMetric::RequestsPerSecond), bar(charts::BarMetric::LatencyPercentiles) });
        s.blocks << chartsBlock({ bar(charts::BarMetric::PeakMemory), bar(charts::BarMetric::CpuPercent) });
    }
    if (a.anyFigures()) {
        ReportChart histogram;
        histogram.kind = ReportChart::Kind::Histogram;
        s.blocks << heading(u"Latency distribution"_s);
        s.blocks << paragraph(
            u"The load generator's latency histogram of each target (its rounds together): the share of "
            "requests in each step of 12 %, on a log scale."_s);
        s.blocks << chartsBlock({ histogram });
    }
    if (a.anyFigures()) {
        s.blocks << heading(u"Over the run"_s);
        s.blocks << paragraph(u"One point per load interval of each target's median round; the warm-up comes "
                              u"first, shaded, and "
                              "is not counted in the figures."_s);
        s.blocks << chartsBlock({ timeline(charts::TimelineMetric::RequestsPerSecond),
            timeline(charts::TimelineMetric::P99Latency) });
        s.blocks << chartsBlock(
            { timeline(charts::TimelineMetric::MemoryPss), timeline(charts::TimelineMetric::CpuPercent) });
    }

    s.blocks << heading(u"Errors by kind"_s);
    QStringList problems;
    for (const bench::CellAnalysis &cell : a.cells()) {
        const bench::TargetResult &t = a.result(cell);
        if (t.errors.total() > 0) {
            problems << u"%1: %2 errors (connect %3, read %4, timeout %5, status %6, parse %7)."_s
                            .arg(cell.name, fmt::number(double(t.errors.total())))
                            .arg(t.errors.connect)
                            .arg(t.errors.read)
                            .arg(t.errors.timeout)
                            .arg(t.errors.status)
                            .arg(t.errors.parse);
        }
    }
    if (problems.isEmpty())
        problems << u"None: no request failed."_s;
    s.blocks << bullets(problems);
    return s;
}

ReportSection claimsSection(const ReportInputs &in)
{
    ReportSection s { u"claims"_s, u"Claims vs. measured"_s, {} };
    if (!in.analysis) {
        s.blocks << note(u"Nothing to compare"_s, kNoRun, true);
        return s;
    }
    if (!in.analysis->claimsChecked()) {
        s.blocks << note(u"The article's figures could not be read"_s, in.analysis->claimsError(), true);
        return s;
    }
    s.blocks << paragraph(
        u"The article's published figures beside this machine's; ratios between stacks should survive a "
        "change of machine and are the ones that test the article. Ratio = claimed ÷ measured. Each verdict "
        "says in which direction this machine differs from the article, and whether a warning about the "
        "targets it rests on leaves it not comparable."_s);
    ReportTable table;
    table.header = { u"Claim"_s, u"Claimed"_s, u"Measured"_s, u"Ratio"_s, u"Verdict"_s };
    table.columnWidths = { 3.4, 1.6, 1.6, 0.9, 1.7 };
    table.numericColumns = { 1, 2, 3 };
    QStringList explanations;
    for (const bench::ClaimRow &row : in.analysis->claims()) {
        table.rows << QStringList { row.title, row.claimed.text, row.measured.text,
            row.ratio > 0 ? formatGrouped(row.ratio, 2) + u"×"_s : u"—"_s, claimVerdictCell(row) };
        table.rowTargetIds << (row.kind == bench::ClaimKind::Absolute ? row.targetIds.value(0) : QString());
        // Neutral: a figure above or below the article's is a finding; only an
        // undecided row is marked.
        if (row.verdict == bench::ClaimVerdict::NotComparable)
            table.warningRows << int(table.rows.size() - 1);
        if (row.verdict != bench::ClaimVerdict::NotMeasured && !row.explanation.isEmpty())
            explanations << row.title + u": "_s + row.explanation;
    }
    s.blocks << tableBlock(table);
    if (!explanations.isEmpty()) {
        s.blocks << heading(u"What the comparisons say"_s);
        s.blocks << bullets(explanations);
    }
    // Said once for every row, rather than in each.
    if (!in.analysis->claimNotes().isEmpty()) {
        s.blocks << heading(u"Notes on every row"_s);
        s.blocks << bullets(in.analysis->claimNotes());
    }
    return s;
}

ReportSection capacitySection(const ReportInputs &in)
{
    ReportSection s { u"capacity"_s, u"Capacity at your peak"_s, {} };
    if (!in.recommendation) {
        s.blocks << note(u"No stated peak"_s,
            u"The capacity estimate needs the peak traffic from the questionnaire. "_s + kNoAnswers, true);
        return s;
    }
    const advisor::CapacityEstimate &capacity = in.recommendation->capacity;
    const QString currency = capacity.cost.currency;
    QString figures = u"Figures: %1"_s.arg(capacity.evidence.label);
    if (!capacity.stacks.isEmpty())
        figures += u" (%1)"_s.arg(advisor::throughputTitle(capacity.stacks.constFirst().evidence.throughput));
    if (!capacity.evidence.fallbackReason.isEmpty())
        figures += u"; "_s + capacity.evidence.fallbackReason;
    s.blocks << paragraph(figures + u'.');
    if (capacity.peak) {
        s.blocks << paragraph(
            u"At your stated peak of %1 req/s, Python needs %2 more server cores than Go: about %3 "
            "a month at %4 per vCPU-month (%5)."_s.arg(formatGrouped(*capacity.peak),
                advisor::formatCores(capacity.extraCores),
                advisor::formatMoney(capacity.extraMonthlyCost, currency),
                advisor::formatMoney(capacity.cost.pricePerVcpuMonth, currency), capacity.cost.priceLabel));
    } else {
        s.blocks << note(u"No stated peak"_s,
            u"The questionnaire's peak is “Not sure”: the table shows what one server core serves."_s);
    }
    ReportTable table;
    table.header = { u"Stack"_s, u"Req/s"_s, u"Server cores"_s, u"Req/s per core"_s, u"Cores at peak"_s,
        u"Servers"_s, u"Cost / month"_s, u"Figures"_s };
    table.columnWidths = { 2.2, 1.2, 1.1, 1.3, 1.2, 0.9, 1.2, 1.3 };
    table.numericColumns = { 1, 2, 3, 4, 5, 6 };
    QStringList caveats;
    for (const advisor::StackCapacity &stack : capacity.stacks) {
        // A figure built on a flagged cell says so on its row and under the table.
        QString name = stack.evidence.server;
        if (!stack.evidence.caveat.isEmpty()) {
            name += u" ⚠"_s;
            caveats << u"%1: %2."_s.arg(stack.evidence.server, stack.evidence.caveat);
        }
        const QString cores
            = formatGrouped(stack.evidence.serverCores,
                  stack.evidence.serverCores == std::floor(stack.evidence.serverCores) ? 0 : 1)
            + (stack.evidence.coresProvenance == advisor::Provenance::Assumed ? u" (assumed)"_s : QString());
        table.rows << QStringList { name, formatGrouped(stack.evidence.requestsPerSecond), cores,
            formatGrouped(stack.evidence.requestsPerCore),
            capacity.peak ? advisor::formatCores(stack.coresNeeded) : u"—"_s,
            capacity.peak ? QString::number(stack.servers) : u"—"_s,
            capacity.peak ? advisor::formatMoney(stack.monthlyCost, currency) : u"—"_s,
            advisor::provenanceTitle(stack.evidence.provenance) };
        table.rowTargetIds << stack.evidence.targetId;
    }
    if (table.rows.isEmpty())
        s.blocks << note(
            u"No figures"_s, u"Neither the run nor the article's table gave a rate to scale."_s, true);
    else
        s.blocks << tableBlock(table);
    if (!caveats.isEmpty())
        s.blocks << note(u"Doubts about these rows"_s, caveats.join(u' '), true);
    if (const QStringList out = in.analysis ? leftOut(*in.analysis) : QStringList(); !out.isEmpty())
        s.blocks << note(u"Not in this estimate: not comparable"_s, out.join(u"; "_s) + u'.', true);
    QStringList sources;
    for (const advisor::StackCapacity &stack : capacity.stacks)
        sources << u"%1 — %2: %3"_s.arg(stack.evidence.server,
            advisor::provenanceTitle(stack.evidence.provenance), stack.evidence.source);
    sources << u"Price per vCPU-month: %1, %2 — %3"_s.arg(
        advisor::formatMoney(capacity.cost.pricePerVcpuMonth, currency), capacity.cost.priceLabel,
        capacity.cost.priceSource);
    sources << u"Cores per server: %1, %2 — %3"_s.arg(QString::number(capacity.cost.coresPerServer),
        capacity.cost.coresPerServerLabel, capacity.cost.coresPerServerSource);
    if (capacity.needFrom > 0)
        sources << u"On these figures the capacity criterion gives half its points, and Go's capacity need "
                   u"starts, at "
                   "%1 req/s (the article's line: %2 req/s on its own figures)."_s.arg(
                       formatGrouped(capacity.needFrom), formatGrouped(capacity.articleLine));
    sources << u"Latency target: p99 ≤ %1 ms (%2)."_s.arg(
        QString::number(in.recommendation->latencyTarget.milliseconds),
        in.recommendation->latencyTarget.source);
    s.blocks << bullets(sources);
    s.blocks << note(u"Assumption"_s, capacity.evidence.note + u' ' + capacity.scaling);
    return s;
}

ReportSection methodologySection(const ReportInputs &in)
{
    ReportSection s { u"methodology"_s, u"Methodology"_s, {} };
    if (in.analysis) {
        const bench::RunResult &run = in.analysis->run();
        const bench::BenchmarkPlan &plan = run.plan;
        QStringList scenarios;
        for (bench::Scenario scenario : plan.scenarios)
            scenarios << bench::scenarioTitle(scenario) + u" ("_s + bench::scenarioId(scenario) + u')';
        QStringList levels;
        for (int level : plan.connectionLevels)
            levels << formatGrouped(level);
        // Per-target settings as actually used (the plan may say "automatic").
        const bench::TargetResult *first = nullptr;
        for (const bench::TargetResult &t : run.targets) {
            if (!first
                || (first->status != bench::TargetStatus::Completed
                    && t.status == bench::TargetStatus::Completed))
                first = &t;
        }
        const auto orAuto = [](const QString &planned, const QString &used) {
            if (!planned.isEmpty())
                return planned;
            return used.isEmpty() ? u"automatic"_s : used + u" (automatic)"_s;
        };
        const auto countOrAuto = [](int planned, int used) {
            if (planned > 0)
                return QString::number(planned);
            return used > 0 ? QString::number(used) + u" (one per core)"_s : u"one per core"_s;
        };
        ReportTable settings;
        settings.header = { u"Setting"_s, u"Value"_s };
        settings.columnWidths = { 2, 4 };
        settings.rows = {
            { u"Targets, in run order"_s, plan.targetIds.join(u", "_s) },
            { u"Scenarios"_s, scenarios.join(u", "_s) },
            { u"Concurrent connections"_s, levels.join(u", "_s) },
            { u"Load model"_s,
                plan.openLoopRate > 0
                    ? u"open loop at %1 req/s (latency corrected for coordinated omission)"_s.arg(
                        formatGrouped(plan.openLoopRate))
                    : u"closed loop: each connection sends its next request when the last is answered (as wrk)"_s },
            { u"Rounds"_s, roundsMethod(plan) },
            { u"Warm-up (not counted), per round"_s, formatGrouped(plan.warmupSeconds, 1) + u" s"_s },
            { u"Measured window, per round"_s, formatGrouped(plan.durationSeconds, 1) + u" s"_s },
            { u"Sample interval"_s, formatGrouped(plan.intervalSeconds, 1) + u" s"_s },
            { u"Request timeout"_s, formatGrouped(plan.timeoutSeconds, 1) + u" s"_s },
            { u"Server CPU set"_s, orAuto(plan.serverCpus, first ? first->serverCpus : QString()) },
            { u"Load-generator CPU set"_s, orAuto(plan.loadCpus, first ? first->loadCpus : QString()) },
            { u"Workers / GOMAXPROCS"_s, countOrAuto(plan.workers, first ? first->workers : 0) },
            { u"Load-generator threads"_s, countOrAuto(plan.loadThreads, first ? first->loadThreads : 0) },
            { u"I/O scenario delay"_s, QString::number(plan.ioMilliseconds) + u" ms (GET /io?ms=N)"_s },
            { u"CPU scenario work"_s, QString::number(plan.cpuN) + u" (GET /cpu?n=N)"_s },
            { u"Queries per request"_s, QString::number(plan.queriesN) + u" (GET /queries?n=N)"_s },
            { u"Resource sampling"_s,
                u"the server's whole process tree from /proc every 250 ms: RSS, PSS, CPU"_s },
        };
        settings.rows += databaseSettingRows(run);
        s.blocks << tableBlock(settings);

        s.blocks << heading(u"Machine and versions"_s);
        ReportTable versions;
        versions.header = { u"What"_s, u"Version"_s };
        versions.columnWidths = { 2, 4 };
        versions.rows << QStringList { u"Machine"_s, bench::machineSummary(run.machine) };
        versions.rows << QStringList { u"Kernel"_s, run.machine.kernel };
        for (auto it = run.machine.versions.cbegin(); it != run.machine.versions.cend(); ++it)
            versions.rows << QStringList { it.key(), it.value() };
        for (const bench::TargetResult &t : run.targets) {
            if (!t.frameworkVersion.isEmpty() && !run.machine.versions.contains(t.targetId))
                versions.rows << QStringList { t.displayName, t.framework + u' ' + t.frameworkVersion };
        }
        s.blocks << tableBlock(versions);
    } else {
        s.blocks << note(u"No benchmark settings"_s, kNoRun, true);
    }
    if (in.recommendation && !in.recommendation->scoringRules.isEmpty()) {
        s.blocks << heading(u"The advisor"_s);
        s.blocks << paragraph(
            u"The verdict comes from the questionnaire scored against the decision table of the "
            "article “Go vs Python for Web Development” (2026); every rule is listed in section 4."_s);
    }
    s.blocks << heading(u"Limitations"_s);
    QStringList limitations;
    if (in.analysis && in.analysis->run().database) {
        const bench::DatabaseRecord &db = *in.analysis->run().database;
        limitations << (db.placement == bench::databasePlacementId(bench::DatabasePlacement::SharedWithLoad)
                ? u"The database on the same machine: PostgreSQL ran on %1 (the TechEmpower setting gives it "
                  u"a "
                  "machine of its own). Its work competes with the load generator's, so the database cells "
                  "measure the server and PostgreSQL together, as on a small box hosting both."_s.arg(
                      db.placementText)
                : u"The database on the same machine: PostgreSQL ran on %1 (the TechEmpower setting gives it "
                  u"a "
                  "machine of its own), over loopback."_s.arg(db.placementText));
    }
    s.blocks << bullets(limitations
        + QStringList {
            u"One machine: the load generator and the server share it (on separate CPU sets), so absolute "
            u"figures "
            "are lower than on dedicated hardware and only ratios compare with other machines."_s,
            u"Loopback: requests travel over 127.0.0.1, with no network latency, loss or TLS."_s,
            u"Sample servers: each implements the same small contract (servers/CONTRACT.md); a real "
            u"application "
            "with a database, caches and business logic behaves differently."_s,
            u"Short windows: a few seconds per round show steady throughput but not long-run effects such "
            u"as garbage-collection drift or memory growth."_s,
        });
    return s;
}

ReportSection appendixSection(const ReportInputs &in)
{
    ReportSection s { u"appendix"_s, u"Appendix: latency percentiles"_s, {} };
    if (!in.analysis) {
        s.blocks << note(u"No percentiles"_s, kNoRun, true);
        return s;
    }
    const bench::RunAnalysis &a = *in.analysis;
    s.blocks << paragraph(u"All latencies in milliseconds over the measured window."_s);
    ReportTable table;
    table.header = { u"Target"_s, u"min"_s, u"mean"_s, u"stdev"_s, u"p50"_s, u"p75"_s, u"p90"_s, u"p99"_s,
        u"p99.9"_s, u"p99.99"_s, u"max"_s };
    table.columnWidths = { 3, 1, 1, 1, 1, 1, 1, 1, 1, 1.1, 1.1 };
    table.numericColumns = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    const auto row = [](const QString &name, const bench::LatencySummary &l) {
        return QStringList { name, fmt::milliseconds(l.minUs), fmt::milliseconds(l.meanUs),
            fmt::milliseconds(l.stdevUs), fmt::milliseconds(l.p50Us), fmt::milliseconds(l.p75Us),
            fmt::milliseconds(l.p90Us), fmt::milliseconds(l.p99Us), fmt::milliseconds(l.p999Us),
            fmt::milliseconds(l.p9999Us), fmt::milliseconds(l.maxUs) };
    };
    for (const bench::CellAnalysis &cell : a.cells()) {
        const bench::TargetResult &t = a.result(cell);
        if (!cell.hasFigures) {
            QStringList cells { cell.name };
            for (int i = 1; i < table.header.size(); ++i)
                cells << fmt::none();
            table.rows << cells;
        } else {
            table.rows << row(cell.name, t.latency);
        }
        if (!cell.comparable)
            table.warningRows << int(table.rows.size() - 1);
        table.rowTargetIds << t.targetId;
        if (cell.hasFigures && t.uncorrectedLatency) {
            table.rows << row(cell.name + u" (uncorrected)"_s, *t.uncorrectedLatency);
            table.rowTargetIds << t.targetId;
        }
    }
    s.blocks << tableBlock(table);
    return s;
}

} // namespace

void ReportInputs::setRun(const bench::RunResult &run)
{
    analysis = bench::RunAnalysis::analyse(run);
}

void ReportInputs::completeFromEnvironment()
{
    if (machineSummary.isEmpty())
        machineSummary = bench::machineSummary(bench::collectMachineInfo(nullptr));
}

QList<bench::TargetResult> ReportDocument::timelineTargets() const
{
    QList<bench::TargetResult> list;
    for (const bench::TargetResult &t : analysis.run().targets) {
        if (!t.timeline.isEmpty())
            list << t;
    }
    return list;
}

ReportDocument ReportDocument::build(const ReportInputs &given)
{
    const ReportInputs &in = given;

    ReportDocument doc;
    doc.title = u"Go or Python for your backend"_s;
    doc.projectName = in.projectName.trimmed();
    doc.generatedAt = in.generatedAt.isValid() ? in.generatedAt : QDateTime::currentDateTime();
    doc.machineSummary = in.analysis ? bench::machineSummary(in.analysis->run().machine) : in.machineSummary;
    if (in.analysis) {
        doc.analysis = *in.analysis;
        charts::rememberColors(doc.analysis.run());
    }
    if (in.recommendation) {
        doc.contributions = in.recommendation->contributions;
        doc.coverVerdict = report::coverVerdict(in.recommendation->headline);
        doc.coverFacts << (u"Answers: "_s
            + (in.answersSource.isEmpty() ? u"from the Advisor"_s : in.answersSource));
    } else {
        doc.coverVerdict = u"No verdict: the questionnaire was not answered"_s;
        doc.missing << u"questionnaire answers"_s;
    }
    if (in.analysis) {
        const bench::RunResult &run = in.analysis->run();
        doc.coverFacts << u"Benchmark: run %1 of %2 UTC, %3 %4"_s
                              .arg(run.id >= 0 ? QString::number(run.id) : u"(not saved)"_s,
                                  run.startedAt.toUTC().toString(u"yyyy-MM-dd HH:mm"_s))
                              .arg(run.targets.size())
                              .arg(run.targets.size() == 1 ? u"target"_s : u"targets"_s);
    } else {
        doc.missing << u"a benchmark run"_s;
    }
    doc.sections << summarySection(in, doc) << answersSection(in) << scoresSection(in) << resultsSection(in)
                 << claimsSection(in) << capacitySection(in) << methodologySection(in) << appendixSection(in);
    // A capacity run's own section follows the results it extends.
    if (in.analysis && in.analysis->capacitySummary().isCapacityRun) {
        const auto results = std::find_if(doc.sections.begin(), doc.sections.end(),
            [](const ReportSection &section) { return section.id == u"results"_s; });
        doc.sections.insert(results + 1, capacityRunSection(*in.analysis));
    }
    // Numbered as the table of contents prints them; the cover is 1.
    for (qsizetype i = 0; i < doc.sections.size(); ++i)
        doc.sections[i].title = QString::number(i + 2) + u". "_s + doc.sections[i].title;
    return doc;
}

QString ReportDocument::plainText() const
{
    QString text = title + u'\n';
    if (!projectName.isEmpty())
        text += projectName + u'\n';
    text += coverVerdict + u'\n';
    for (const ReportSection &section : sections) {
        text += u'\n' + section.title + u'\n';
        for (const ReportBlock &block : section.blocks) {
            if (!block.title.isEmpty())
                text += block.title + u'\n';
            if (!block.text.isEmpty())
                text += block.text + u'\n';
            for (const QString &item : block.items)
                text += u"- "_s + item + u'\n';
            for (const QStringList &figure : block.figures)
                text += figure.join(u" | "_s) + u'\n';
            if (block.kind == ReportBlock::Kind::Table) {
                text += block.table.header.join(u" | "_s) + u'\n';
                for (const QStringList &row : block.table.rows)
                    text += row.join(u" | "_s) + u'\n';
            }
        }
    }
    return text;
}

} // namespace sa::ui::report
