#pragma once

#include "models/heat_matrix.h"
#include "models/method_settings.h"
#include "models/sweep_series.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>

#include <optional>

namespace wemoe::ui {

class AccuracyTableModel;
class Job;
class JobQueue;
class WorkspaceController;
struct SessionData;

// Merges and evaluates on the open pool: one job per checked method (its row
// appears when it finishes), a λ sweep job that adds its points as they are
// measured, and the task-vector analysis. Owns the results: the accuracy
// table model, the sweep series and the task-vector similarity matrix.
class EvaluationController : public QObject
{
    Q_OBJECT

public:
    EvaluationController(JobQueue *queue, WorkspaceController *workspace, QObject *parent = nullptr);

    AccuracyTableModel *tableModel() const { return m_table; }
    const QVector<SweepSeries> &sweeps() const { return m_sweeps; }
    const HeatMatrix &taskSimilarity() const { return m_similarity; }

    // Queues everything the settings ask for. Throws wemoe::Error (nothing
    // queued) for settings that cannot run, e.g. a bad sweep range.
    QList<Job *> run(const MethodSettings &settings);
    Job *evaluate(const MethodCall &call, const MethodSettings &compute);
    Job *sweep(const MethodSettings &settings);
    Job *analyseTaskVectors(const MethodSettings &compute);

    // Rows whose model can be rebuilt and exported (every finished static merge).
    QStringList exportableRows() const;
    std::optional<MethodCall> callForRow(const QString &label) const;
    const QHash<QString, MethodCall> &rowCalls() const { return m_calls; }

    // Adds a row measured by another controller (the adaptive methods), with
    // the routing mode that produced it. False (and a warning) when it was
    // measured on another pool than the table's.
    bool addMeasuredRow(const QString &label, const QVector<double> &accuracy, const QString &routingMode,
                        const QStringList &tasks, const QString &poolPath);

    // Forgets every result (a new pool with other tasks).
    void clearResults();
    // Shows a saved session's results; nothing is recomputed.
    void restore(const SessionData &session);
    // Writes the results into a session (settings and pool are the caller's).
    void store(SessionData &session) const;

Q_SIGNALS:
    void rowFinished(const QString &label);
    void sweepsChanged();
    void taskSimilarityChanged();
    // Every result was forgotten (clearResults): results held elsewhere go too.
    void resultsCleared();
    void warning(const QString &message);

private:
    void onPoolChanged();
    // A result measured on other tasks than the table's (the pool changed meanwhile) is dropped.
    bool matchesTable(const QStringList &tasks, const QString &poolPath);
    void addSweepPoint(int jobId, const SweepSeries &shape, double lambda, const QVector<double> &accuracy);
    void finishSweep(Job *job, const QString &label);

    JobQueue *m_queue;
    WorkspaceController *m_workspace;
    AccuracyTableModel *m_table;
    QHash<QString, MethodCall> m_calls; // row -> the static method that rebuilds its model
    QVector<SweepSeries> m_sweeps;
    HeatMatrix m_similarity;
    QString m_resultsPool;             // the pool the results were measured on
    QHash<int, int> m_sweepIndexByJob; // running sweep job -> its series in m_sweeps
};

} // namespace wemoe::ui
