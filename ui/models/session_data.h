#pragma once

#include "eval/accuracy_table.h"
#include "models/adaptation_curve.h"
#include "models/coefficient_table.h"
#include "models/heat_matrix.h"
#include "models/method_settings.h"
#include "models/routing_capture.h"
#include "models/sweep_series.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QVector>

namespace wemoe::ui {

// A saved studio session: the pool, the settings and every finished result
// (adaptation curves and routing captures included), so a reopened session
// shows its tables, plots and heatmaps without recomputing.
// Stored as JSON ("format": "wemoe-studio-session", "version": 2; version-1
// files, from before the method catalogue, are read too).
struct SessionData
{
    QString poolPath; // absolute
    MethodSettings settings;
    AccuracyTable table;
    QHash<QString, QString> routingModes; // row label -> routing mode
    QHash<QString, MethodCall> rowCalls;  // row label -> how to rebuild its model (export)
    QVector<SweepSeries> sweeps;
    HeatMatrix taskSimilarity;                 // cosine similarity of the task vectors (may be empty)
    QVector<AdaptationCurve> adaptationCurves; // AdaMerging / WEMoE losses per step
    RoutingCapture routing;                    // the last WEMoE evaluation's routing weights (may be empty)
    QString routingLabel;                      // the row that capture belongs to
    QVector<CoefficientTable> coefficients;    // AdaMerging's learned λ, per run (and opened files)

    QJsonObject toJson(const QString &sessionFile = {}) const;
    // `sessionFile` resolves a pool path stored relative to it. Throws wemoe::Error.
    static SessionData fromJson(const QJsonObject &json, const QString &sessionFile = {});

    // Atomic write (temporary file + rename); throws wemoe::Error naming the file.
    void save(const QString &file) const;
    static SessionData load(const QString &file);
};

} // namespace wemoe::ui
