#pragma once

#include "models/adaptation_curve.h"
#include "models/coefficient_table.h"
#include "models/method_settings.h"
#include "models/routing_capture.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QVector>

#include <memory>

namespace wemoe {
struct AdaptedModel;
}

namespace wemoe::ui {

class EvaluationController;
class Job;
class JobQueue;
class WorkspaceController;
struct SessionData;

// The methods that learn on the unlabeled test images before they are
// evaluated. Each is one job: AdaMerging (task- or layer-wise) learns its
// merging coefficients, WEMoE upscales the MLPs and trains its routers; the
// loss of every completed step comes to the GUI thread as it is reported
// (the live adaptation curve); then the model is evaluated and its row added
// to the accuracy table, WEMoE's labelled with its routing mode and its
// routing weights captured for the routing views. A cancelled or failed run
// adds no row and keeps the previous capture.
class AdaptationController : public QObject
{
    Q_OBJECT

public:
    AdaptationController(JobQueue *queue, WorkspaceController *workspace, EvaluationController *evaluation,
                         QObject *parent = nullptr);
    ~AdaptationController() override;

    // Queues every adaptive method the settings check (nothing when none is).
    QList<Job *> run(const MethodSettings &settings);
    // One adaptive method of the catalogue, with the compute settings of `compute`.
    Job *adapt(const MethodCall &call, const MethodSettings &compute);

    // Every adaptation curve of this session, oldest first (a running one included).
    const QVector<AdaptationCurve> &curves() const { return m_curves; }
    // The routing weights of the last finished WEMoE evaluation, and its row.
    const RoutingCapture &capture() const { return m_capture; }
    QString captureLabel() const { return m_captureLabel; }

    // The λ of every AdaMerging row of this session, oldest first, and the
    // saved coefficient files opened since (openCoefficients).
    const QVector<CoefficientTable> &coefficientTables() const { return m_coefficients; }
    // Shows a saved adamerging-coefficients.json beside the session's runs (a
    // file opened again replaces its earlier copy). Throws wemoe::Error naming
    // the file.
    void openCoefficients(const QString &file);
    // The same for the coefficients an exported model folder holds beside its
    // weights; false (and nothing shown) when it holds none.
    bool openExportedCoefficients(const QString &modelFolder);

    // Rows whose adapted model is held in memory (run in this session), by kind.
    QStringList exportableRows() const;
    QStringList wemoeRows() const;
    // The held model of a row; null when there is none (e.g. a restored session).
    std::shared_ptr<const AdaptedModel> model(const QString &row) const;

    // Forgets the curves, the capture and the held models.
    void clearResults();
    // Shows a saved session's curves and capture; nothing is recomputed.
    void restore(const SessionData &session);
    void store(SessionData &session) const;

Q_SIGNALS:
    // A curve grew by a step (or was restored): the one to show.
    void curveChanged(const wemoe::ui::AdaptationCurve &curve);
    void captureChanged(const wemoe::ui::RoutingCapture &capture);
    // A table was added, replaced or the tables were cleared or restored.
    void coefficientsChanged();
    void rowFinished(const QString &label);
    void warning(const QString &message);

private:
    struct Outcome;
    void appendStep(int jobId, const QString &title, int step, double loss, const QVector<double> &taskEntropy);
    void finish(Job *job, const std::shared_ptr<Outcome> &outcome);
    // Appends a table; one of the same run (or file) is replaced, as a rerun replaces its row.
    void addCoefficients(const CoefficientTable &table);

    JobQueue *m_queue;
    WorkspaceController *m_workspace;
    EvaluationController *m_evaluation;
    QVector<AdaptationCurve> m_curves;
    QHash<int, int> m_curveByJob; // running job -> its curve in m_curves
    RoutingCapture m_capture;
    QString m_captureLabel;
    QVector<CoefficientTable> m_coefficients;
    QHash<QString, std::shared_ptr<const AdaptedModel>> m_models;
    QStringList m_modelOrder; // rows in the order they finished
};

} // namespace wemoe::ui
