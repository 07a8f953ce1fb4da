#include "window/studio_session.h"

#include "controllers/adaptation_controller.h"
#include "controllers/evaluation_controller.h"
#include "controllers/workspace_controller.h"
#include "models/session_data.h"
#include "panels/methods_panel.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace wemoe::ui {

StudioSession::StudioSession(WorkspaceController *workspace, EvaluationController *evaluation,
                             AdaptationController *adaptation, MethodsPanel *methods, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_evaluation(evaluation)
    , m_adaptation(adaptation)
    , m_methods(methods)
{
}

void StudioSession::save(const QString &file)
{
    SessionData session;
    // A reopened session whose pool is missing (or still loading) keeps naming it.
    session.poolPath = m_workspace->poolPath().isEmpty() ? m_pool : m_workspace->poolPath();
    session.settings = m_methods->settings();
    m_evaluation->store(session);
    m_adaptation->store(session);
    session.save(file);
    m_file = QFileInfo(file).absoluteFilePath();
    Q_EMIT info(tr("Session saved: %1").arg(QDir::toNativeSeparators(m_file)));
    Q_EMIT fileChanged(m_file);
}

void StudioSession::open(const QString &file)
{
    const SessionData session = SessionData::load(file);
    m_methods->setSettings(session.settings);
    m_evaluation->restore(session);
    m_adaptation->restore(session);
    m_file = QFileInfo(file).absoluteFilePath();
    m_pool = session.poolPath;
    Q_EMIT info(tr("Session opened: %1").arg(QDir::toNativeSeparators(m_file)));
    if (!session.poolPath.isEmpty() && QFileInfo::exists(session.poolPath)) {
        if (QFileInfo(session.poolPath).absoluteFilePath() != m_workspace->poolPath())
            Q_EMIT openPoolRequested(session.poolPath);
    } else if (!session.poolPath.isEmpty()) {
        Q_EMIT warning(tr("The session's pool %1 is not there: its results are shown, but nothing can be rerun or "
                          "exported until a pool is opened.")
                           .arg(QDir::toNativeSeparators(session.poolPath)));
    }
    Q_EMIT fileChanged(m_file);
}

} // namespace wemoe::ui
