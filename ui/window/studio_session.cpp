#include "window/studio_session.h"

#include "controllers/adaptation_controller.h"
#include "controllers/evaluation_controller.h"
#include "controllers/workspace_controller.h"
#include "models/session_data.h"
#include "panels/methods_panel.h"
#include "window/dropped_file.h"

#include "common/error.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>

namespace wemoe::ui {

StudioSession::StudioSession(WorkspaceController *workspace, EvaluationController *evaluation,
                             AdaptationController *adaptation, MethodsPanel *methods, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_evaluation(evaluation)
    , m_adaptation(adaptation)
    , m_methods(methods)
{
    connect(evaluation, &EvaluationController::rowFinished, this, &StudioSession::resultFinished);
    connect(evaluation, &EvaluationController::sweepsChanged, this, &StudioSession::resultFinished);
    connect(evaluation, &EvaluationController::taskSimilarityChanged, this, &StudioSession::resultFinished);
    connect(adaptation, &AdaptationController::rowFinished, this, &StudioSession::resultFinished);
    // Nothing left to lose.
    connect(evaluation, &EvaluationController::resultsCleared, this, [this] {
        setDirty(false);
        discardAutosave();
    });
}

QString StudioSession::autosaveFile()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("autosave") + sessionFileSuffix());
}

void StudioSession::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

SessionData StudioSession::snapshot() const
{
    SessionData session;
    // A reopened session whose pool is missing (or still loading) keeps naming it.
    session.poolPath = m_workspace->poolPath().isEmpty() ? m_pool : m_workspace->poolPath();
    session.settings = m_methods->settings();
    m_evaluation->store(session);
    m_adaptation->store(session);
    return session;
}

void StudioSession::resultFinished()
{
    if (m_restoring)
        return;
    setDirty(true);
    if (!m_autosave)
        return;
    // Every finished result goes to disk at once; a failed autosave costs a warning, not the result.
    try {
        QDir().mkpath(QFileInfo(autosaveFile()).absolutePath());
        snapshot().save(autosaveFile());
    } catch (const Error &e) {
        Q_EMIT warning(tr("Cannot autosave the session: %1").arg(e.message()));
    }
}

void StudioSession::discardAutosave()
{
    if (m_autosave)
        QFile::remove(autosaveFile());
}

void StudioSession::save(const QString &file)
{
    snapshot().save(file);
    m_file = QFileInfo(file).absoluteFilePath();
    setDirty(false);
    discardAutosave();
    Q_EMIT info(tr("Session saved: %1").arg(QDir::toNativeSeparators(m_file)));
    Q_EMIT fileChanged(m_file);
}

void StudioSession::openAutosave()
{
    open(autosaveFile());
    m_file.clear(); // Save asks where: the autosave is not the user's file
    setDirty(true);
    Q_EMIT fileChanged(m_file);
}

void StudioSession::open(const QString &file)
{
    const SessionData session = SessionData::load(file);
    m_restoring = true;
    m_methods->setSettings(session.settings);
    m_evaluation->restore(session);
    m_adaptation->restore(session);
    m_restoring = false;
    setDirty(false);
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
