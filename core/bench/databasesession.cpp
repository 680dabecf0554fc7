#include "databasesession.h"

#include "platform/processcontrol.h"

#include <QTimer>

namespace sa::bench {

DatabaseSession::DatabaseSession(const Settings &settings, QObject *parent)
    : QObject(parent), m_cluster(new PostgresCluster(this)), m_settings(settings)
{
    if (m_settings.dataFolder.isEmpty())
        m_settings.dataFolder = PostgresCluster::defaultDataFolder();
    m_record.dataFolder = m_settings.dataFolder;
    m_record.logPath
        = m_settings.logPath.isEmpty() ? m_settings.dataFolder + QLatin1String(".log") : m_settings.logPath;
    m_record.cpus = platform::formatCpuList(m_settings.cpus);
    m_record.placement = m_settings.placement;
    m_record.placementText = m_settings.placementText;

    connect(m_cluster, &PostgresCluster::ready, this, &DatabaseSession::onReady);
    connect(m_cluster, &PostgresCluster::failed, this, &DatabaseSession::onFailed);
    connect(m_cluster, &PostgresCluster::exitedUnexpectedly, this, [this](const QString &reason) {
        if (m_state != State::Ready)
            return;
        m_state = State::Idle;
        m_record.failure = QStringLiteral("PostgreSQL stopped during the run: ") + reason;
        Q_EMIT lost(reason);
    });
    connect(m_cluster, &PostgresCluster::stopped, this, [this] {
        if (m_state != State::Stopping)
            return;
        m_state = State::Idle;
        Q_EMIT stopped();
    });
}

DatabaseSession::~DatabaseSession() = default;

void DatabaseSession::require()
{
    switch (m_state) {
    case State::Ready:
        QTimer::singleShot(0, this, [this] {
            if (m_state == State::Ready)
                Q_EMIT ready();
        });
        return;
    case State::Starting:
        return; // ready() or failed() is on its way
    case State::Stopping:
        QTimer::singleShot(0, this,
            [this] { Q_EMIT failed(QStringLiteral("PostgreSQL is being stopped (the run is ending)")); });
        return;
    case State::Idle:
        break;
    }
    if (!m_startFailure.isEmpty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT failed(m_startFailure); });
        return;
    }
    m_state = State::Starting;
    PostgresCluster::Settings settings;
    settings.dataFolder = m_settings.dataFolder;
    settings.binDir = m_settings.binDir;
    settings.port = m_settings.port;
    settings.cpus = m_settings.cpus;
    settings.logPath = m_record.logPath;
    settings.readyTimeoutMs = m_settings.readyTimeoutMs;
    m_cluster->start(settings);
}

void DatabaseSession::onReady()
{
    if (m_state != State::Starting)
        return;
    m_state = State::Ready;
    m_record.version = m_cluster->version();
    m_record.port = m_cluster->port();
    m_record.runAs = m_cluster->runAsUser();
    m_record.configuration = m_cluster->configuration();
    // Over the run: created or seeded by any of its starts.
    m_record.created = m_record.created || m_cluster->created();
    m_record.seeded = m_record.seeded || m_cluster->seeded();
    Q_EMIT ready();
}

void DatabaseSession::onFailed(PostgresCluster::Failure failure, const QString &reason)
{
    if (m_state != State::Starting)
        return;
    m_state = State::Idle;
    QString text = QStringLiteral("PostgreSQL could not start: ") + reason;
    // The cluster's own message says what to do for the others.
    if (failure == PostgresCluster::Failure::StartFailed || failure == PostgresCluster::Failure::SeedFailed)
        text += QStringLiteral(" Fix: read PostgreSQL's log %1; if the cluster is damaged, delete the folder "
                               "%2 (a new cluster is created and seeded at the next run)")
                    .arg(m_record.logPath, m_settings.dataFolder);
    m_startFailure = text;
    m_record.failure = text;
    Q_EMIT failed(text);
}

void DatabaseSession::stop()
{
    if (m_state == State::Stopping)
        return;
    m_state = State::Stopping;
    m_cluster->stop(); // an idle cluster reports stopped() at once
}

void DatabaseSession::kill()
{
    if (m_state == State::Stopping) {
        m_cluster->kill();
        return;
    }
    m_state = State::Stopping;
    m_cluster->kill();
}

} // namespace sa::bench
