#include "wheelguard.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QPointer>

namespace sa::ui {

namespace {

QWidget *guardedOf(QObject *object)
{
    // The spin box's own line edit receives the events too.
    for (QObject *o = object; o; o = o->parent()) {
        if (qobject_cast<QAbstractSpinBox *>(o) || qobject_cast<QComboBox *>(o))
            return static_cast<QWidget *>(o);
        if (o->isWidgetType() && static_cast<QWidget *>(o)->isWindow())
            break;
    }
    return nullptr;
}

class WheelGuard final : public QObject
{
public:
    using QObject::QObject;

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Polish) {
            if (QWidget *widget = guardedOf(watched); widget && widget == watched)
                widget->setFocusPolicy(Qt::StrongFocus);
        } else if (event->type() == QEvent::Wheel) {
            QWidget *widget = guardedOf(watched);
            if (widget && !widget->hasFocus()) {
                // Ignored and filtered: Qt hands it to the parents, and the page scrolls.
                event->ignore();
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

QPointer<WheelGuard> s_guard;

} // namespace

void installWheelGuard()
{
    if (s_guard || !qApp)
        return;
    s_guard = new WheelGuard(qApp);
    qApp->installEventFilter(s_guard);
}

void guardWheelIn(QWidget *root)
{
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (qobject_cast<QAbstractSpinBox *>(widget) || qobject_cast<QComboBox *>(widget))
            widget->setFocusPolicy(Qt::StrongFocus);
    }
}

} // namespace sa::ui
