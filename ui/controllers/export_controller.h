#pragma once

#include "models/method_settings.h"

#include <QtCore/QObject>
#include <QtCore/QString>

#include <memory>

namespace wemoe {
struct AdaptedModel;
}

namespace wemoe::ui {

class Job;
class JobQueue;
class WorkspaceController;

// What is written.
enum class ExportKind {
    MergedModel,     // one Hugging Face folder (a static merge or AdaMerging's model)
    WemoeModel,      // the WEMoE model with its routers: one .safetensors file
    CollapsedModels, // WEMoE folded into one Hugging Face folder per task, in one folder
};

// How an exported model is stored.
struct ExportRequest
{
    MethodCall method; // MergedModel of a static merge: the merge to rebuild
    ExportKind kind = ExportKind::MergedModel;
    QString folder;                         // the folder to write; for WemoeModel, the .safetensors file
    QString dtype = QStringLiteral("keep"); // keep, f32, f16, bf16
    bool overwrite = false;                 // replace an existing folder (the caller asked the user)
};

// Writes models: the merged model of a finished static method (rebuilt) or
// of AdaMerging (held in memory) as a Hugging Face folder shaped like the
// pool's pretrained model; the WEMoE model as one file; or WEMoE collapsed
// into one folder per task. Every write is atomic (nothing is left behind on
// cancel or failure) and replaces an existing target only with `overwrite`.
class ExportController : public QObject
{
    Q_OBJECT

public:
    ExportController(JobQueue *queue, WorkspaceController *workspace, QObject *parent = nullptr);

    // Throws wemoe::Error for a request that cannot be exported (individual
    // models, an unknown dtype); everything else fails inside the job.
    Job *exportModel(const ExportRequest &request);
    // A model an adaptive method produced (AdaptationController::model); the
    // kind must fit it (MergedModel for AdaMerging, the other two for WEMoE).
    Job *exportAdapted(const std::shared_ptr<const AdaptedModel> &model, const ExportRequest &request);

    // The storage dtypes an export can write (the engine's names).
    static QStringList dtypeNames();

Q_SIGNALS:
    void exported(const QString &folder, const QString &label);
    // An export that did not complete: the reason, to show where it is seen (a dialog).
    void exportFailed(const QString &folder, const QString &label, const QString &reason);

private:
    JobQueue *m_queue;
    WorkspaceController *m_workspace;
};

} // namespace wemoe::ui
