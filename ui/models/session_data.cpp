#include "models/session_data.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/json_file.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <cmath>
#include <limits>

namespace wemoe::ui {

namespace {

const QString kFormat = QStringLiteral("wemoe-studio-session");
// Version 2: methods as the catalogue names them (one entry per method with
// its own parameters); version 1 shared one set of merge parameters.
constexpr int kVersion = 2;

QJsonObject matrixToJson(const HeatMatrix &m)
{
    QJsonArray values;
    for (const double v : m.values)
        values.append(std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null));
    return QJsonObject{{QStringLiteral("rows"), m.rows},
                       {QStringLiteral("columns"), m.columns},
                       {QStringLiteral("values"), values},
                       {QStringLiteral("row_labels"), QJsonArray::fromStringList(m.rowLabels)},
                       {QStringLiteral("column_labels"), QJsonArray::fromStringList(m.columnLabels)},
                       {QStringLiteral("row_title"), m.rowTitle},
                       {QStringLiteral("column_title"), m.columnTitle},
                       {QStringLiteral("value_title"), m.valueTitle}};
}

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list << v.toString();
    return list;
}

HeatMatrix matrixFromJson(const QJsonObject &json, const QString &file)
{
    HeatMatrix m(json.value(QStringLiteral("rows")).toInt(), json.value(QStringLiteral("columns")).toInt());
    const QJsonArray values = json.value(QStringLiteral("values")).toArray();
    if (m.rows < 0 || m.columns < 0 || values.size() != m.values.size())
        throw Error(file, QStringLiteral("task similarity: %1 values for a %2 x %3 matrix")
                              .arg(values.size())
                              .arg(m.rows)
                              .arg(m.columns));
    for (int i = 0; i < values.size(); ++i)
        m.values[i] = values.at(i).isDouble() ? values.at(i).toDouble() : std::numeric_limits<double>::quiet_NaN();
    m.rowLabels = stringList(json.value(QStringLiteral("row_labels")));
    m.columnLabels = stringList(json.value(QStringLiteral("column_labels")));
    m.rowTitle = json.value(QStringLiteral("row_title")).toString();
    m.columnTitle = json.value(QStringLiteral("column_title")).toString();
    m.valueTitle = json.value(QStringLiteral("value_title")).toString();
    return m;
}

} // namespace

QJsonObject SessionData::toJson(const QString &sessionFile) const
{
    QJsonObject json;
    json.insert(QStringLiteral("format"), kFormat);
    json.insert(QStringLiteral("version"), kVersion);
    json.insert(QStringLiteral("pool"), poolPath);
    if (!sessionFile.isEmpty() && !poolPath.isEmpty())
        json.insert(QStringLiteral("pool_relative"), QFileInfo(sessionFile).absoluteDir().relativeFilePath(poolPath));
    json.insert(QStringLiteral("settings"), settings.toJson());
    json.insert(QStringLiteral("accuracy"), table.toJson());

    QJsonObject rows;
    for (const AccuracyTable::Row &row : table.rows()) {
        QJsonObject entry;
        if (routingModes.contains(row.method))
            entry.insert(QStringLiteral("routing"), routingModes.value(row.method));
        const auto call = rowCalls.find(row.method);
        if (call != rowCalls.end())
            entry.insert(QStringLiteral("call"), call->toJson());
        rows.insert(row.method, entry);
    }
    json.insert(QStringLiteral("rows"), rows);

    QJsonArray sweepArray;
    for (const SweepSeries &sweep : sweeps)
        sweepArray.append(sweep.toJson());
    json.insert(QStringLiteral("sweeps"), sweepArray);
    if (!taskSimilarity.isEmpty())
        json.insert(QStringLiteral("task_similarity"), matrixToJson(taskSimilarity));
    QJsonArray curves;
    for (const AdaptationCurve &curve : adaptationCurves)
        curves.append(curve.toJson());
    if (!curves.isEmpty())
        json.insert(QStringLiteral("adaptation_curves"), curves);
    if (!routing.isEmpty()) {
        QJsonObject capture = routing.toJson();
        capture.insert(QStringLiteral("row"), routingLabel);
        json.insert(QStringLiteral("routing_capture"), capture);
    }
    QJsonArray tables;
    for (const CoefficientTable &table : coefficients)
        tables.append(table.toJson());
    if (!tables.isEmpty())
        json.insert(QStringLiteral("adamerging_coefficients"), tables);
    return json;
}

SessionData SessionData::fromJson(const QJsonObject &json, const QString &sessionFile)
{
    const QString file = sessionFile.isEmpty() ? QStringLiteral("session") : sessionFile;
    if (json.value(QStringLiteral("format")).toString() != kFormat)
        throw Error(file, QStringLiteral("not a WEMoE Studio session (\"format\" is not \"%1\")").arg(kFormat));
    const int version = json.value(QStringLiteral("version")).toInt();
    if (version < 1 || version > kVersion)
        throw Error(file, QStringLiteral("session version %1 is not supported (this studio reads version %2)")
                              .arg(version)
                              .arg(kVersion));
    SessionData session;
    try {
        session.poolPath = json.value(QStringLiteral("pool")).toString();
        const QString relative = json.value(QStringLiteral("pool_relative")).toString();
        if (!relative.isEmpty() && !sessionFile.isEmpty()) {
            // A session moved together with its pool keeps working.
            const QString candidate = QFileInfo(sessionFile).absoluteDir().absoluteFilePath(relative);
            if (QFileInfo::exists(candidate))
                session.poolPath = QDir::cleanPath(candidate);
        }
        session.settings = MethodSettings::fromJson(json.value(QStringLiteral("settings")).toObject());
        if (json.contains(QStringLiteral("accuracy")))
            session.table = AccuracyTable::fromJson(json.value(QStringLiteral("accuracy")).toObject());
        const QJsonObject rows = json.value(QStringLiteral("rows")).toObject();
        for (auto it = rows.begin(); it != rows.end(); ++it) {
            const QJsonObject entry = it.value().toObject();
            if (entry.contains(QStringLiteral("routing")))
                session.routingModes.insert(it.key(), entry.value(QStringLiteral("routing")).toString());
            if (entry.contains(QStringLiteral("call"))) {
                session.rowCalls.insert(it.key(), MethodCall::fromJson(entry.value(QStringLiteral("call")).toObject()));
            } else if (entry.contains(QStringLiteral("request"))) {
                // Version 1: the method and the shared merge parameters it ran with.
                const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
                const MethodSettings read = MethodSettings::fromJson({{QStringLiteral("parameters"), request}});
                session.rowCalls.insert(it.key(), read.call(request.value(QStringLiteral("method")).toString()));
            }
        }
        for (const QJsonValue &sweep : json.value(QStringLiteral("sweeps")).toArray())
            session.sweeps.append(SweepSeries::fromJson(sweep.toObject()));
        if (json.contains(QStringLiteral("task_similarity")))
            session.taskSimilarity = matrixFromJson(json.value(QStringLiteral("task_similarity")).toObject(), file);
        for (const QJsonValue &curve : json.value(QStringLiteral("adaptation_curves")).toArray())
            session.adaptationCurves.append(AdaptationCurve::fromJson(curve.toObject()));
        if (json.contains(QStringLiteral("routing_capture"))) {
            const QJsonObject capture = json.value(QStringLiteral("routing_capture")).toObject();
            session.routing = RoutingCapture::fromJson(capture);
            session.routingLabel = capture.value(QStringLiteral("row")).toString();
        }
        for (const QJsonValue &table : json.value(QStringLiteral("adamerging_coefficients")).toArray())
            session.coefficients.append(CoefficientTable::fromJson(table.toObject()));
    } catch (const Error &e) {
        if (e.message().startsWith(file))
            throw;
        throw Error(file, e.message());
    }
    return session;
}

void SessionData::save(const QString &file) const
{
    writeFileAtomically(file, QJsonDocument(toJson(file)).toJson(QJsonDocument::Indented));
}

SessionData SessionData::load(const QString &file)
{
    return fromJson(readJsonObjectFile(file), QFileInfo(file).absoluteFilePath());
}

} // namespace wemoe::ui
