#pragma once

class QWidget;

namespace sa::ui {

// The mouse wheel scrolls the page, not the spin box or combo box under the
// pointer: those take the wheel only once focused (clicked or tabbed to). An
// application-wide event filter, installed once (later calls do nothing);
// guardWheelIn() gives the widgets already made the focus policy that keeps the
// wheel from focusing them.
void installWheelGuard();
void guardWheelIn(QWidget *root);

} // namespace sa::ui
