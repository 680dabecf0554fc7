#include "capacitymodel.h"

#include "jsonfile.h"
#include "platform/paths.h"

#include <QFile>
#include <QLocale>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

QByteArray readAll(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: cannot read: %2"_s.arg(path, file.errorString());
        return {};
    }
    return file.readAll();
}

} // namespace

std::optional<CapacityModel> CapacityModel::fromResources(QString *error)
{
    const QString path = Paths::resourceFile(u"advisor/capacity.json"_s);
    const QByteArray text = readAll(path, error);
    if (text.isEmpty())
        return std::nullopt;
    const std::optional<QJsonObject> root = json::parseObject(text, path, error);
    if (!root)
        return std::nullopt;
    const QString claimsPath
        = Paths::resourceFile(root->value(u"published"_s).toObject().value(u"file"_s).toString());
    const QByteArray claims = readAll(claimsPath, error);
    if (claims.isEmpty())
        return std::nullopt;
    return fromJson(text, path, claims, claimsPath, error);
}

std::optional<CapacityModel> CapacityModel::fromJson(const QByteArray &text, const QString &source,
    const QByteArray &claimsText, const QString &claimsSource, QString *error)
{
    const std::optional<QJsonObject> root = json::parseObject(text, source, error);
    if (!root)
        return std::nullopt;
    const std::optional<QJsonObject> claimsRoot = json::parseObject(claimsText, claimsSource, error);
    if (!claimsRoot)
        return std::nullopt;
    QString message;
    const auto fail = [&](const QString &where) {
        *error = where + u": "_s + message;
        return std::nullopt;
    };
    if (const QStringList duplicates = json::duplicateKeys(text); !duplicates.isEmpty()) {
        message = duplicates.constFirst();
        return fail(source);
    }
    QString format;
    if (!json::readString(*root, u"format"_s, u"format"_s, &format, &message))
        return fail(source);
    if (format != u"stackadvisor-capacity"_s) {
        message = u"format: expected \"stackadvisor-capacity\", found \"%1\""_s.arg(format);
        return fail(source);
    }

    CapacityModel model;
    QJsonObject published, serverCores, measured, price, cores;
    QJsonArray claimIds;
    QString throughput, why, coresWhy;
    double assumedCores = 0;
    if (!json::readObject(*root, u"published"_s, u"published"_s, &published, &message)
        || !json::readString(published, u"label"_s, u"published.label"_s, &model.m_published.label, &message)
        || !json::readString(published, u"throughput"_s, u"published.throughput"_s, &throughput, &message)
        || !json::readArray(published, u"claims"_s, u"published.claims"_s, &claimIds, &message)
        || !json::readString(published, u"why"_s, u"published.why"_s, &why, &message)
        || !json::readObject(published, u"serverCores"_s, u"published.serverCores"_s, &serverCores, &message)
        || !json::readNumber(
            serverCores, u"value"_s, u"published.serverCores.value"_s, &assumedCores, &message)
        || !json::readString(serverCores, u"why"_s, u"published.serverCores.why"_s, &coresWhy, &message)
        || !json::readObject(*root, u"measured"_s, u"measured"_s, &measured, &message)
        || !json::readString(measured, u"label"_s, u"measured.label"_s, &model.m_measuredLabel, &message)
        || !json::readString(measured, u"why"_s, u"measured.why"_s, &model.m_measuredNote, &message)
        || !json::readObject(*root, u"pricePerVcpuMonth"_s, u"pricePerVcpuMonth"_s, &price, &message)
        || !json::readNumber(
            price, u"value"_s, u"pricePerVcpuMonth.value"_s, &model.m_cost.pricePerVcpuMonth, &message)
        || !json::readString(
            price, u"currency"_s, u"pricePerVcpuMonth.currency"_s, &model.m_cost.currency, &message)
        || !json::readString(
            price, u"label"_s, u"pricePerVcpuMonth.label"_s, &model.m_cost.priceLabel, &message)
        || !json::readString(
            price, u"source"_s, u"pricePerVcpuMonth.source"_s, &model.m_cost.priceSource, &message)
        || !json::readObject(*root, u"coresPerServer"_s, u"coresPerServer"_s, &cores, &message)
        || !json::readString(
            cores, u"label"_s, u"coresPerServer.label"_s, &model.m_cost.coresPerServerLabel, &message)
        || !json::readString(
            cores, u"source"_s, u"coresPerServer.source"_s, &model.m_cost.coresPerServerSource, &message)
        || !json::readString(*root, u"scaling"_s, u"scaling"_s, &model.m_scaling, &message))
        return fail(source);
    double coresPerServer = 0;
    if (!json::readNumber(cores, u"value"_s, u"coresPerServer.value"_s, &coresPerServer, &message))
        return fail(source);
    if (coresPerServer < 1 || coresPerServer != std::floor(coresPerServer)) {
        message
            = u"coresPerServer.value: %1 is not a whole number of cores, at least 1"_s.arg(coresPerServer);
        return fail(source);
    }
    model.m_cost.coresPerServer = int(coresPerServer);
    if (model.m_cost.pricePerVcpuMonth <= 0) {
        message = u"pricePerVcpuMonth.value: %1 must be above 0"_s.arg(model.m_cost.pricePerVcpuMonth);
        return fail(source);
    }
    if (assumedCores <= 0) {
        message = u"published.serverCores.value: %1 must be above 0"_s.arg(assumedCores);
        return fail(source);
    }
    if (throughput != u"saturated"_s && throughput != u"sustainable"_s) {
        message
            = u"published.throughput: \"%1\" is neither \"saturated\" nor \"sustainable\""_s.arg(throughput);
        return fail(source);
    }

    const QJsonArray claims = claimsRoot->value(u"claims"_s).toArray();
    const QJsonObject article = claimsRoot->value(u"source"_s).toObject();
    const QLocale english(QLocale::English);
    for (qsizetype i = 0; i < claimIds.size(); ++i) {
        const QString id = claimIds.at(i).toString();
        const auto claim = std::find_if(claims.begin(), claims.end(),
            [&](const QJsonValue &c) { return c.toObject().value(u"id"_s).toString() == id; });
        const QJsonObject row = claim == claims.end() ? QJsonObject() : claim->toObject();
        StackEvidence entry;
        entry.stack = row.value(u"language"_s).toString();
        entry.server = row.value(u"label"_s).toString();
        entry.framework = row.value(u"framework"_s).toString();
        entry.requestsPerSecond = row.value(u"requestsPerSec"_s).toDouble();
        if (row.value(u"kind"_s).toString() != u"benchmark-row"_s || entry.stack.isEmpty()
            || entry.requestsPerSecond <= 0) {
            message
                = u"published.claims[%1]: \"%2\" is not a benchmark row with a language and requestsPerSec "
                  "in %3"_s.arg(i)
                      .arg(id, claimsSource);
            return fail(source);
        }
        entry.serverCores = assumedCores;
        entry.coresProvenance = Provenance::Assumed;
        entry.requestsPerCore = entry.requestsPerSecond / assumedCores;
        entry.provenance = Provenance::Published;
        entry.throughput = throughput == u"saturated"_s ? Throughput::Saturated : Throughput::Sustainable;
        entry.source = u"%1 %2: %3 req/s (%4; hardware not stated; %5 server cores assumed)"_s.arg(
            article.value(u"publisher"_s).toString(), QString::number(article.value(u"year"_s).toInt()),
            english.toString(entry.requestsPerSecond, 'f', 0), row.value(u"setting"_s).toString(),
            english.toString(assumedCores, 'g', 3));
        model.m_published.stacks << entry;
    }
    model.m_published.provenance = Provenance::Published;
    model.m_published.note = why + u' ' + coresWhy;
    if (!model.m_published.isComplete()) {
        message = u"published.claims: the article's figures must include a Go and a Python row"_s;
        return fail(source);
    }
    return model;
}

} // namespace sa::advisor
