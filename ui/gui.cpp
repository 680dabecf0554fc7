#include "gui.h"

#include "mainwindow.h"

#include "platform/paths.h"

#include <QApplication>

namespace sa::ui {

int runGui(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("stackadvisor"));
    QApplication::setApplicationDisplayName(QStringLiteral("Stack Advisor"));
    QApplication::setOrganizationName(QStringLiteral("StackAdvisor"));
    QApplication::setApplicationVersion(sa::Paths::appVersion());
    QApplication::setDesktopFileName(QStringLiteral("io.github.stackadvisor.StackAdvisor"));

    MainWindow window;
    window.show();
    return app.exec();
}

} // namespace sa::ui
