#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

namespace wemoe::ui {

class AdaptationController;
class EvaluationController;
class MethodsPanel;
class WorkspaceController;

// The session the window shows: saved as one JSON file (SessionData) with the
// pool, the method settings and every finished result, and reopened without
// recomputing. Remembers the file it was last saved to or opened from.
class StudioSession : public QObject
{
    Q_OBJECT

public:
    StudioSession(WorkspaceController *workspace, EvaluationController *evaluation, AdaptationController *adaptation,
                  MethodsPanel *methods, QObject *parent = nullptr);

    QString file() const { return m_file; } // absolute; empty before the first save or open

    // Both throw wemoe::Error naming the file; nothing changes on failure.
    void save(const QString &file);
    // Restores the results and settings, and asks for the session's pool to be
    // opened when it is not the open one (or warns when it is gone).
    void open(const QString &file);

Q_SIGNALS:
    void fileChanged(const QString &file);
    void openPoolRequested(const QString &pool);
    void info(const QString &message);
    void warning(const QString &message);

private:
    WorkspaceController *m_workspace;
    EvaluationController *m_evaluation;
    AdaptationController *m_adaptation;
    MethodsPanel *m_methods;
    QString m_file;
    QString m_pool; // the pool named by the session last opened
};

} // namespace wemoe::ui
