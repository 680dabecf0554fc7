#pragma once

#include <QTableView>

namespace sa::ui {

// A table whose first column stays in place while the others scroll sideways:
// in a table of twenty figures the target's name stays beside them (after Qt's
// "Frozen Column" example: a second view over the first column, sharing the
// model, the selection and the vertical scroll).
class FrozenColumnTableView final : public QTableView
{
    Q_OBJECT

public:
    explicit FrozenColumnTableView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    QTableView *frozenView() const { return m_frozen; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;

private:
    void updateFrozenGeometry();

    QTableView *m_frozen = nullptr;
};

} // namespace sa::ui
