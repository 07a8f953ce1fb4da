#pragma once

#include "eval/accuracy_table.h"
#include "models/heat_matrix.h"
#include "models/method_settings.h"
#include "models/sweep_series.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QVector>

namespace wemoe::ui {

// A saved studio session: the pool, the settings and every finished result,
// so a reopened session shows its tables and plots without recomputing.
// Stored as JSON ("format": "wemoe-studio-session", "version": 1).
struct SessionData
{
    QString poolPath; // absolute
    MethodSettings settings;
    AccuracyTable table;
    QHash<QString, QString> routingModes;      // row label -> routing mode
    QHash<QString, MethodRequest> rowRequests; // row label -> how to rebuild its model (export)
    QVector<SweepSeries> sweeps;
    HeatMatrix taskSimilarity; // cosine similarity of the task vectors (may be empty)

    QJsonObject toJson(const QString &sessionFile = {}) const;
    // `sessionFile` resolves a pool path stored relative to it. Throws wemoe::Error.
    static SessionData fromJson(const QJsonObject &json, const QString &sessionFile = {});

    // Atomic write (temporary file + rename); throws wemoe::Error naming the file.
    void save(const QString &file) const;
    static SessionData load(const QString &file);
};

} // namespace wemoe::ui
