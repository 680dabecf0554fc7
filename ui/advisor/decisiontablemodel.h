#pragma once

#include "advisor/decisionrow.h"

#include <QAbstractTableModel>
#include <QSet>

namespace sa::ui {

// The article's decision table, with the rows relevant to the user's answers
// highlighted (bold, highlight-tinted background from the system palette). A
// cell whose reading differs from its literal text shows both, with the note.
class DecisionTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NeedColumn, GoColumn, PythonColumn, ColumnCount };
    enum Role {
        RowIdRole = Qt::UserRole, // QString
        RelevantRole, // bool
        FavoursRole, // QString: "go" or "python", the stack the row favours
        NoteRole, // QString, empty when the cell has none
    };

    explicit DecisionTableModel(QObject *parent = nullptr);

    void setTable(const QList<advisor::DecisionRow> &rows, const QStringList &relevantRowIds);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<advisor::DecisionRow> m_rows;
    QSet<QString> m_relevant;
};

} // namespace sa::ui
