#include "capacitysection.h"

#include "bench/capacityanalysis.h"
#include "bench/format.h"

using namespace Qt::StringLiterals;

namespace sa::ui::report {

namespace {

ReportBlock block(ReportBlock::Kind kind, const QString &title, const QString &text)
{
    ReportBlock b;
    b.kind = kind;
    b.title = title;
    b.text = text;
    return b;
}

ReportBlock chartBlock(ReportChart::Kind kind)
{
    ReportChart chart;
    chart.kind = kind;
    ReportBlock b;
    b.kind = ReportBlock::Kind::Charts;
    b.charts = { chart };
    return b;
}

ReportTable capacityTable(const bench::RunAnalysis &analysis)
{
    const QList<bench::ResultColumn> columns = bench::capacityColumns(bench::ResultView::Pdf);
    ReportTable table;
    for (int i = 0; i < columns.size(); ++i) {
        table.header << columns.at(i).title;
        table.columnWidths << (i == 0 ? 2.4 : 1.0);
        if (columns.at(i).numeric)
            table.numericColumns << i;
    }
    for (const bench::CellAnalysis *cell : bench::sweptCells(analysis)) {
        QStringList row;
        for (const bench::ResultColumn &c : columns)
            row << c.text(analysis, *cell);
        table.rows << row;
        table.rowTargetIds << analysis.result(*cell).targetId;
        if (analysis.capacity(*cell).sustainableRate <= 0)
            table.warningRows << int(table.rows.size() - 1);
    }
    return table;
}

ReportTable stepsTable(const bench::RunAnalysis &analysis, const bench::CellAnalysis &cell)
{
    const bench::CellCapacity &c = analysis.capacity(cell);
    const bench::TargetResult &t = analysis.result(cell);
    const QList<bench::StepColumn> &columns = bench::capacityStepColumns();
    ReportTable table;
    table.header << QString();
    table.columnWidths << 0.9;
    for (int i = 0; i < columns.size(); ++i) {
        const bench::StepColumn &column = columns.at(i);
        table.header << column.title;
        // The verdict says why in words: it gets the room.
        table.columnWidths << (column.key == u"verdict"_s ? 3.6 : column.key == u"kind"_s ? 1.0 : 0.85);
        if (column.numeric)
            table.numericColumns << i + 1;
    }
    for (int i : c.reading.byRate) {
        const bench::CapacityStep &step = t.capacity->steps.at(i);
        QStringList row { i == c.reading.sustainable ? u"sustainable"_s
                : i == c.reading.knee                ? u"knee"_s
                                                     : QString() };
        for (const bench::StepColumn &column : columns)
            row << column.text(step, c.reading.verdicts.at(i));
        table.rows << row;
        table.rowTargetIds << (i == c.reading.sustainable ? t.targetId : QString());
        if (!c.reading.verdicts.at(i).sustained)
            table.warningRows << int(table.rows.size() - 1);
    }
    return table;
}

} // namespace

ReportSection capacityRunSection(const bench::RunAnalysis &analysis)
{
    ReportSection s { u"capacity-run"_s, u"Capacity within the latency target"_s, {} };
    const bench::CapacitySummary &summary = analysis.capacitySummary();
    if (!summary.isCapacityRun)
        return s;
    const QString target = fmt::number(summary.latencyTargetMs, summary.latencyTargetMs < 10 ? 1 : 0);
    s.blocks << block(ReportBlock::Kind::Paragraph, {},
        u"How many requests per second each server sustains while p99 stays within %1 ms, measured on this "
        u"machine "
        "with open-loop load: the saturated throughput of a closed-loop benchmark overstates it, since at "
        "saturation the latency is queueing, not service. "_s.arg(target)
            + summary.method);
    QStringList findings;
    for (const bench::CellAnalysis *cell : bench::sweptCells(analysis))
        findings << cell->name + u" "_s + analysis.capacity(*cell).summary + u'.';
    ReportBlock list;
    list.kind = ReportBlock::Kind::Bullets;
    list.items = findings;
    s.blocks << list;

    s.blocks << block(ReportBlock::Kind::Heading, u"Latency against offered load"_s, {});
    s.blocks << block(ReportBlock::Kind::Paragraph, {},
        u"p99 latency (coordinated-omission corrected) at each step's offered rate, both axes on log scales; "
        u"the "
        "dashed line is the %1 ms target and the large dot on each line the highest sustained step, the knee."_s
            .arg(target));
    s.blocks << chartBlock(ReportChart::Kind::LatencyLoad);
    s.blocks << block(ReportBlock::Kind::Heading, u"Server CPU per request"_s, {});
    s.blocks << block(ReportBlock::Kind::Paragraph, {},
        u"Microseconds of the server's CPU (its whole process tree) per completed request: the figure that "
        u"carries "
        "over to other machines. "_s
            + summary.commonNote);
    s.blocks << chartBlock(ReportChart::Kind::CpuPerRequest);

    s.blocks << block(ReportBlock::Kind::Heading, u"Capacity at the stated peak"_s, {});
    ReportBlock table;
    table.kind = ReportBlock::Kind::Table;
    table.table = capacityTable(analysis);
    s.blocks << table;
    s.blocks << block(ReportBlock::Kind::Note, u"Peak, latency target and headroom"_s, summary.peakNote);
    s.blocks << block(ReportBlock::Kind::Note, u"Scaling"_s, summary.scalingNote);

    s.blocks << block(ReportBlock::Kind::Heading, u"The steps behind the figures"_s, {});
    for (const bench::CellAnalysis *cell : bench::sweptCells(analysis)) {
        const bench::TargetResult &t = analysis.result(*cell);
        s.blocks << block(ReportBlock::Kind::Paragraph, {},
            u"%1: %2 steps; %3."_s.arg(cell->name).arg(t.capacity->steps.size()).arg(t.capacity->stopReason));
        ReportBlock steps;
        steps.kind = ReportBlock::Kind::Table;
        steps.table = stepsTable(analysis, *cell);
        s.blocks << steps;
    }
    return s;
}

} // namespace sa::ui::report
