#pragma once

#include "decisionrow.h"

#include <optional>

namespace sa::advisor {

// The article's decision table (resources/advisor/decision-table.json): six rows
// of need / Go cell / Python cell, each cell with its literal text, its reading
// and the sentence behind it.
class DecisionTable final
{
public:
    // Validates every field; on failure returns nullopt and names the field in *error.
    static std::optional<DecisionTable> load(const QString &path, QString *error);
    static std::optional<DecisionTable> fromJson(
        const QByteArray &text, const QString &source, QString *error);

    const QList<DecisionRow> &rows() const { return m_rows; }
    const DecisionRow *row(const QString &id) const;
    QString source() const { return m_source; }

private:
    QList<DecisionRow> m_rows;
    QString m_source;
};

} // namespace sa::advisor
