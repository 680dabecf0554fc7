#pragma once

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::bench {

// Prepares the Python and Node sample servers on this machine, for an installed
// app: their venvs and node_modules cannot be shipped in the package (a venv is
// tied to the Python that made it), so they are built on first use into the
// user's data folder (Paths::userServersDir()), where ServerCatalog looks for
// them. The work is servers/build.sh's own (the installed copy of it), run for
// the Python and Node families only; this class checks the toolchains first, so
// that a missing Python, pip or npm gets a message saying what to install, and
// reads the build's output for progress and for an unreachable network.
//
// Owns its one child process (in its own process group, killed with the group
// on cancel() and on destruction).
class ServerSetup final : public QObject
{
    Q_OBJECT

public:
    enum class Family { Python, Node };

    struct Options
    {
        QString buildScript; // servers/build.sh (Paths::serversSourceDir() + "/build.sh")
        QString outputDir; // Paths::userServersDir()
        QList<Family> families { Family::Python, Family::Node };
        // Server id → the family that prepares it: the catalog's "setupFamily"
        // (defaultOptions() reads the shipped catalog).
        QMap<QString, Family> serverFamilies;
    };

    struct Outcome
    {
        bool ok = false; // every requested server is ready
        QStringList readyIds; // requested servers ready after the run
        QStringList problems; // what went wrong, one line per family, each with what to do
        bool networkUnreachable = false;
        bool cancelled = false;
    };

    explicit ServerSetup(QObject *parent = nullptr);
    ~ServerSetup() override;

    static Options defaultOptions();
    // The server ids of a family in `options` (the catalog's "setupFamily").
    static QStringList serverIds(const Options &options, Family family);
    // "python" / "node" → Family; nullopt for anything else.
    static std::optional<Family> familyFromName(QStringView name);

    // Starts in the background. False (with *error set, nothing started) when the
    // options are unusable (no build script, output folder not writable) or a
    // setup is already running.
    bool start(const Options &options, QString *error);
    // Stops the build (SIGTERM, then SIGKILL to its process group) and reports
    // finished() with cancelled set.
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    // done of total servers handled; message says which one is being prepared.
    void progress(int done, int total, const QString &message);
    // A line of the build's output (build.sh's "servers: …" lines, pip, npm), for a
    // details view or a log; after the progress() it caused, if any.
    void outputLine(const QString &line);
    void finished(const sa::bench::ServerSetup::Outcome &outcome);

private:
    void probePython();
    void runBuild();
    void onBuildOutput();
    void onBuildFinished(int exitCode, QProcess::ExitStatus status);
    void finish(Outcome outcome);
    void skip(Family family, const QString &problem);
    void handleLine(const QString &line);
    QStringList requestedIds() const;
    bool wants(Family family) const { return m_options.families.contains(family); }

    Options m_options;
    QPointer<QProcess> m_process;
    QString m_python; // python3 to use
    QList<Family> m_skipped; // families whose toolchain is missing: not built
    QStringList m_problems; // why they were skipped
    QMap<Family, QString> m_networkFailure; // first line of the build output saying so
    std::optional<Family> m_building; // the family of the server being built
    QStringList m_startedIds;
    QByteArray m_partialOut;
    QByteArray m_partialErr;
    bool m_cancelled = false;
    bool m_running = false;
};

} // namespace sa::bench

Q_DECLARE_METATYPE(sa::bench::ServerSetup::Outcome)
