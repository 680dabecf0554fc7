#pragma once

#include <QString>
#include <QStringList>

namespace sa::advisor {

// A criterion the answers put points on, e.g. "traffic"; most map to one row of
// the article's decision table.
struct Criterion
{
    QString id;
    QString title;
    QString decisionRow; // decision-table row id, or empty
};

// When the verdict is Hybrid (see questionnaire.json "scoring").
struct HybridRule
{
    double minScore = 40; // both scores at least this
    double maxGap = 20; // and at most this far apart
    double minNeedPoints = 10; // a Go need and a Python need each worth at least this many score points
    QStringList goNeeds; // criterion ids
    QStringList pythonNeeds; // criterion ids
};

} // namespace sa::advisor
