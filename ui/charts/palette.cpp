#include "palette.h"

#include "bench/results.h"
#include "bench/servercatalog.h"

#include <QHash>
#include <QMutex>
#include <QMutexLocker>

namespace sa::ui::charts {

namespace {

struct Palette
{
    QMutex mutex;
    bool catalogRead = false;
    QHash<QString, QColor> targets;
    QHash<QString, QColor> languages;

    void take(const bench::ServerCatalog &catalog)
    {
        for (const bench::ServerEntry &entry : catalog.servers()) {
            if (QColor colour(entry.color); colour.isValid())
                targets.insert(entry.id, colour);
        }
        for (auto it = catalog.languageColors().cbegin(); it != catalog.languageColors().cend(); ++it)
            languages.insert(it.key(), QColor(it.value()));
        catalogRead = true;
    }

    void readDefaultCatalog()
    {
        if (catalogRead)
            return;
        bench::ServerCatalog catalog;
        QString error;
        // A catalog that cannot be read leaves the derived colours; the page that
        // loads it says what is wrong.
        if (catalog.load(bench::ServerCatalog::defaultSources(), &error))
            take(catalog);
        catalogRead = true;
    }
};

Palette &palette()
{
    static Palette p;
    return p;
}

QColor derived(const QString &key)
{
    // Readable on light and dark backgrounds; the hue from the key keeps it stable.
    const int hue = int(qHash(key, 0x5A) % 360);
    return QColor::fromHsl(hue, 150, 110);
}

} // namespace

QColor targetColor(const QString &targetId)
{
    Palette &p = palette();
    const QMutexLocker lock(&p.mutex);
    p.readDefaultCatalog();
    return p.targets.value(targetId, derived(targetId));
}

QColor languageColor(const QString &language)
{
    if (language == QLatin1String("Hybrid"))
        return QColor(0x5F, 0x3D, 0xC4); // between the two families
    Palette &p = palette();
    const QMutexLocker lock(&p.mutex);
    p.readDefaultCatalog();
    return p.languages.value(language, derived(language));
}

void rememberColors(const bench::ServerCatalog &catalog)
{
    Palette &p = palette();
    const QMutexLocker lock(&p.mutex);
    p.take(catalog);
}

void rememberColors(const bench::RunResult &run)
{
    Palette &p = palette();
    const QMutexLocker lock(&p.mutex);
    p.readDefaultCatalog();
    for (const bench::TargetResult &t : run.targets) {
        if (QColor colour(t.color); colour.isValid())
            p.targets.insert(t.targetId, colour);
    }
}

} // namespace sa::ui::charts
