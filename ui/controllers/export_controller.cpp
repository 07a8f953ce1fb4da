#include "controllers/export_controller.h"

#include "common/error.h"
#include "controllers/workspace_controller.h"
#include "io/checkpoint.h"
#include "methods/adapted_model.h"
#include "methods/learned_coefficients.h"
#include "methods/method_run.h"
#include "moe/collapsed_export.h"
#include "moe/upscaled_model_file.h"
#include "pool/loaded_pool.h"
#include "queue/job_queue.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace wemoe::ui {

namespace {

// The pool a held model was adapted on, still open (its pretrained model is the export's template).
std::shared_ptr<const LoadedPool> poolOf(const WorkspaceController *workspace, const AdaptedModel &model)
{
    auto pool = workspace->pool();
    if (!pool || QFileInfo(pool->pool.path).absoluteFilePath() != model.poolPath)
        throw Error(QStringLiteral("export: '%1' was adapted on %2, which is no longer the open pool")
                        .arg(model.label, model.poolPath));
    return pool;
}

} // namespace

ExportController::ExportController(JobQueue *queue, WorkspaceController *workspace, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_workspace(workspace)
{
}

QStringList ExportController::dtypeNames()
{
    return exportDtypeNames();
}

Job *ExportController::exportModel(const ExportRequest &request)
{
    if (!request.method.description().buildsOneModel)
        throw Error(tr("'individual' is one model per task, not a merge: there is no single model to export"));
    if (request.folder.isEmpty())
        throw Error(tr("export: no folder chosen"));
    ExportOptions options;
    options.dtype = parseExportDtype(request.dtype);
    options.overwrite = request.overwrite;
    const QString label = request.method.label();
    const QString folder = QFileInfo(request.folder).absoluteFilePath();
    const MethodCall method = request.method;
    const WorkspaceController *workspace = m_workspace;

    Job *job = m_queue->enqueue(tr("Export %1 to %2").arg(label, folder), [=](const JobContext &context) {
        const auto pool = workspace->pool();
        if (!pool)
            throw Error(QStringLiteral("no model pool is open: open a pool first"));
        MethodRunOptions run;
        run.evaluate = false;
        run.keepModel = true;
        const MethodOutcome outcome = runMethod(method, *pool, run, context);
        ExportOptions withMetadata = options;
        withMetadata.metadata["wemoe_method"] = label.toStdString();
        withMetadata.metadata["wemoe_pool"] = QFileInfo(pool->pool.path).absoluteFilePath().toStdString();
        if (const auto learned = learnedCoefficients(outcome, pool->taskNames()))
            addCoefficientsToExport(withMetadata, *learned, folder); // AdaMerging, as the CLI writes it
        exportCheckpoint(folder, pool->pretrained, outcome.merged, withMetadata, context);
    });
    connect(job, &Job::finished, this, [this, job, folder, label] {
        if (job->state() == Job::State::Finished)
            Q_EMIT exported(folder, label);
        else if (job->state() == Job::State::Failed)
            Q_EMIT exportFailed(folder, label, job->errorMessage());
    });
    return job;
}

Job *ExportController::exportAdapted(const std::shared_ptr<const AdaptedModel> &model, const ExportRequest &request)
{
    if (!model)
        throw Error(tr("export: this result's model is not held in memory (it comes from a saved session); run the "
                       "method again to export it"));
    if (request.folder.isEmpty())
        throw Error(tr("export: no target chosen"));
    if (model->isWemoe() == (request.kind == ExportKind::MergedModel))
        throw Error(model->isWemoe()
                        ? tr("export: a WEMoE model is written as a WEMoE model file or as collapsed per-task models")
                        : tr("export: AdaMerging's model is one merged model (a Hugging Face folder)"));
    ExportOptions options;
    options.dtype = parseExportDtype(request.dtype);
    options.overwrite = request.overwrite;
    options.metadata["wemoe_method"] = model->label.toStdString();
    options.metadata["wemoe_pool"] = model->poolPath.toStdString();
    const QString target = QFileInfo(request.folder).absoluteFilePath();
    const ExportKind kind = request.kind;
    const bool overwrite = request.overwrite;
    const WorkspaceController *workspace = m_workspace;

    QString title;
    switch (kind) {
    case ExportKind::MergedModel: title = tr("Export %1 to %2").arg(model->label, target); break;
    case ExportKind::WemoeModel: title = tr("Export the WEMoE model %1 to %2").arg(model->label, target); break;
    case ExportKind::CollapsedModels: title = tr("Export %1 collapsed per task to %2").arg(model->label, target); break;
    }
    Job *job = m_queue->enqueue(title, [=](const JobContext &context) {
        switch (kind) {
        case ExportKind::MergedModel: {
            const auto pool = poolOf(workspace, *model);
            ExportOptions withCoefficients = options;
            if (model->coefficients) // what AdaMerging learned, beside its model as the CLI writes it
                addCoefficientsToExport(withCoefficients, *model->coefficients, target);
            exportCheckpoint(target, pool->pretrained, model->merged, withCoefficients, context);
            break;
        }
        case ExportKind::WemoeModel:
            if (QFileInfo::exists(target) && !overwrite)
                throw Error(target, QStringLiteral("already exists (allow overwriting or choose another file)"));
            if (QFileInfo(target).isDir())
                throw Error(target, QStringLiteral("is a folder; a WEMoE model is one file"));
            saveUpscaledModel(target, *model->wemoe, model->adaptation, context); // atomic
            break;
        case ExportKind::CollapsedModels: {
            const auto pool = poolOf(workspace, *model);
            exportCollapsedModels(target, pool->pretrained, *model->wemoe, model->tasks, model->meanRouting,
                                  model->routingMode, options, model->poolPath, context);
            break;
        }
        }
    });
    const QString label = model->label;
    connect(job, &Job::finished, this, [this, job, target, label] {
        if (job->state() == Job::State::Finished)
            Q_EMIT exported(target, label);
        else if (job->state() == Job::State::Failed)
            Q_EMIT exportFailed(target, label, job->errorMessage());
    });
    return job;
}

} // namespace wemoe::ui
