#include "moe/collapsed_export.h"

#include "common/error.h"
#include "io/staged_folder.h"

#include <QtCore/QDir>

#include <torch/torch.h>

namespace wemoe {

QStringList exportCollapsedModels(const QString &folder, const Checkpoint &like, const UpscaledClipModel &model,
                                  const QStringList &tasks, const torch::Tensor &meanRouting, const QString &routing,
                                  const ExportOptions &options, const QString &source, const JobContext &context)
{
    context.throwIfCancelled();
    if (tasks.isEmpty())
        throw Error(folder, QStringLiteral("no task to collapse"));
    if (!meanRouting.defined() || meanRouting.dim() != 3 || meanRouting.size(0) != model.experts())
        throw Error(folder, QStringLiteral("routing weights of %1 tasks are needed to collapse").arg(model.experts()));
    for (const QString &task : tasks) {
        if (!model.taskNames().contains(task))
            throw Error(folder, QStringLiteral("the WEMoE model has no task '%1' (tasks: %2)")
                                    .arg(task, model.taskNames().join(QStringLiteral(", "))));
    }

    StagedFolder output(folder, options.overwrite, context);
    QStringList written;
    try {
        for (const QString &task : tasks) {
            context.throwIfCancelled();
            const QString taskFolder = output.createSubfolder(task, source, QStringLiteral("task name"));
            ExportOptions perTask = options;
            perTask.metadata["wemoe_method"] =
                QStringLiteral("wemoe collapsed for %1 (%2 routing)").arg(task, routing).toStdString();
            const int t = model.taskNames().indexOf(task);
            writeCheckpointFiles(taskFolder, like, model.collapse(meanRouting[t]), perTask, context);
            written << QDir(output.target()).filePath(task);
        }
    } catch (...) {
        output.rethrowNamingTarget();
    }
    output.commit(context);
    return written;
}

} // namespace wemoe
