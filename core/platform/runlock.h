#pragma once

#include <QObject>
#include <QString>

class QTimer;

namespace sa::platform {

// One benchmark at a time for this user on this machine: two at once halve each
// other's figures. An flock(2) on a file in the app's data folder, held for the
// whole run by whoever runs it (the CLI or the GUI; the kernel lets go of it
// when the holder dies, however it dies). Another user's benchmark is not seen.
//
// acquire() takes it at once when it is free; otherwise says waiting() once, with
// who holds it, and tries again every 250 ms until it has it: acquired().
class RunLock final : public QObject
{
    Q_OBJECT

public:
    // path "" = defaultPath().
    explicit RunLock(const QString &path = QString(), QObject *parent = nullptr);
    ~RunLock() override; // releases it

    // <AppDataLocation>/bench.lock
    static QString defaultPath();
    QString path() const { return m_path; }

    void acquire();
    bool isHeld() const { return m_fd >= 0 && m_held; }
    void release();

Q_SIGNALS:
    void acquired();
    // holder: "pid 1234 (stackadvisor), since 2026-11-27 10:02:11 UTC"
    void waiting(const QString &holder);
    // The lock file cannot be created or locked (a read-only folder, …).
    void failed(const QString &reason);

private:
    bool tryOnce(QString *problem);
    QString holder() const;

    QString m_path;
    QTimer *m_retry = nullptr;
    int m_fd = -1;
    bool m_held = false;
    bool m_saidWaiting = false;
};

} // namespace sa::platform
