#include "controllers/export_controller.h"

#include "common/error.h"
#include "controllers/engine_conversions.h"
#include "controllers/job_queue.h"
#include "controllers/workspace_controller.h"
#include "io/checkpoint.h"
#include "io/loaded_pool.h"
#include "merge/merge_spec.h"

#include <QtCore/QFileInfo>

namespace wemoe::ui {

namespace {

c10::ScalarType parseDtype(const QString &name)
{
    if (name == QLatin1String("keep"))
        return c10::ScalarType::Undefined;
    if (name == QLatin1String("f32"))
        return c10::ScalarType::Float;
    if (name == QLatin1String("f16"))
        return c10::ScalarType::Half;
    if (name == QLatin1String("bf16"))
        return c10::ScalarType::BFloat16;
    throw Error(QStringLiteral("export: dtype '%1', expected keep, f32, f16 or bf16").arg(name));
}

} // namespace

ExportController::ExportController(JobQueue *queue, WorkspaceController *workspace, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_workspace(workspace)
{
}

Job *ExportController::exportModel(const ExportRequest &request)
{
    if (!request.method.isExportable())
        throw Error(tr("'individual' is one model per task, not a merge: there is no single model to export"));
    if (request.folder.isEmpty())
        throw Error(tr("export: no folder chosen"));
    ExportOptions options;
    options.dtype = parseDtype(request.dtype);
    options.overwrite = request.overwrite;
    const QString label = methodLabel(request.method);
    const QString folder = QFileInfo(request.folder).absoluteFilePath();
    const MethodRequest method = request.method;
    const WorkspaceController *workspace = m_workspace;

    Job *job = m_queue->enqueue(tr("Export %1 to %2").arg(label, folder), [=](const JobContext &context) {
        const auto pool = workspace->pool();
        if (!pool)
            throw Error(QStringLiteral("no model pool is open: open a pool first"));
        MergeInputs inputs;
        inputs.pretrained = &pool->pretrained.vision;
        inputs.finetuned = pool->taskWeights();
        const TensorMap merged = toMergeSpec(method).merge(inputs, context);
        ExportOptions withMetadata = options;
        withMetadata.metadata["wemoe_method"] = label.toStdString();
        withMetadata.metadata["wemoe_pool"] = QFileInfo(pool->pool.path).absoluteFilePath().toStdString();
        exportCheckpoint(folder, pool->pretrained, merged, withMetadata, context);
    });
    connect(job, &Job::finished, this, [this, job, folder, label] {
        if (job->state() == Job::State::Finished)
            Q_EMIT exported(folder, label);
    });
    return job;
}

} // namespace wemoe::ui
