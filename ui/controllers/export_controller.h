#pragma once

#include "models/method_settings.h"

#include <QtCore/QObject>
#include <QtCore/QString>

namespace wemoe::ui {

class Job;
class JobQueue;
class WorkspaceController;

// How an exported model is stored.
struct ExportRequest
{
    MethodRequest method;
    QString folder;
    QString dtype = QStringLiteral("keep"); // keep, f32, f16, bf16
    bool overwrite = false;                 // replace an existing folder (the caller asked the user)
};

// Rebuilds the merged model of a finished static method and writes it as a
// Hugging Face folder shaped like the pool's pretrained model, through the
// engine's atomic exportCheckpoint (nothing is left behind on cancel or failure).
class ExportController : public QObject
{
    Q_OBJECT

public:
    ExportController(JobQueue *queue, WorkspaceController *workspace, QObject *parent = nullptr);

    // Throws wemoe::Error for a request that cannot be exported (individual
    // models, an unknown dtype); everything else fails inside the job.
    Job *exportModel(const ExportRequest &request);

    static QStringList dtypeNames() { return {QStringLiteral("keep"), QStringLiteral("f32"), QStringLiteral("f16"), QStringLiteral("bf16")}; }

Q_SIGNALS:
    void exported(const QString &folder, const QString &label);

private:
    JobQueue *m_queue;
    WorkspaceController *m_workspace;
};

} // namespace wemoe::ui
