#pragma once

#include "bench/serversetup.h"

#include <QGroupBox>

class QLabel;
class QProgressBar;
class QPushButton;

namespace sa::ui {

// The benchmark page's "Prepare Python and Node servers" button with its progress
// bar: runs sa::bench::ServerSetup (what `stackadvisor servers setup` runs) and
// says what to install when Python, pip or npm is missing or the network is
// unreachable. Shown while some Python or Node server is not ready.
class ServerSetupPanel final : public QGroupBox
{
    Q_OBJECT

public:
    explicit ServerSetupPanel(QWidget *parent = nullptr);

    // Reads the server catalog again: which Python and Node servers still need
    // preparing (hides the panel when none does).
    void refresh();
    bool isRunning() const { return m_setup.isRunning(); }
    QPushButton *button() const { return m_button; }
    QString statusText() const;
    // For tests: prepare into another folder than the user's data folder.
    void setOptions(const sa::bench::ServerSetup::Options &options) { m_options = options; }

public Q_SLOTS:
    void start();
    void cancel();

Q_SIGNALS:
    // A setup ended, and some servers may have become ready: reload the catalog.
    void setupFinished(const sa::bench::ServerSetup::Outcome &outcome);

private:
    void onProgress(int done, int total, const QString &message);
    void onFinished(const sa::bench::ServerSetup::Outcome &outcome);

    sa::bench::ServerSetup m_setup;
    sa::bench::ServerSetup::Options m_options;
    QPushButton *m_button = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace sa::ui
