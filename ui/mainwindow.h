#pragma once

#include <QMainWindow>

#include <functional>

class QListWidget;
class QStackedWidget;

namespace sa::ui {

// The app's window: a navigation list on the left (one entry per area: Advisor,
// Benchmark, History, Report) and the current page on the right.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Adds an area to the navigation; the window takes ownership of the page.
    void addPage(const QString &title, const QString &accessibleDescription, QWidget *page);
    void showPage(QWidget *page);
    QWidget *currentPage() const;
    // Asked before the window closes (e.g. the Benchmark page while a run goes
    // on); returning false keeps the window open.
    void setCloseGuard(std::function<bool()> guard);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void restoreState();
    void saveState() const;

    std::function<bool()> m_closeGuard;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_pages = nullptr;
};

} // namespace sa::ui
