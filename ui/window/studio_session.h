#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

namespace wemoe::ui {

class AdaptationController;
struct SessionData;
class EvaluationController;
class MethodsPanel;
class WorkspaceController;

// The session the window shows: saved as one JSON file (SessionData) with the
// pool, the method settings and every finished result, and reopened without
// recomputing. Remembers the file it was last saved to or opened from, and
// whether results have finished since (dirty): every finished result is also
// written to an autosave file, which a clean quit removes, so a crash loses
// nothing and the next start can offer it back.
class StudioSession : public QObject
{
    Q_OBJECT

public:
    StudioSession(WorkspaceController *workspace, EvaluationController *evaluation, AdaptationController *adaptation,
                  MethodsPanel *methods, QObject *parent = nullptr);

    QString file() const { return m_file; } // absolute; empty before the first save or open
    bool isDirty() const { return m_dirty; }
    // Where finished results are autosaved (the application's data folder).
    static QString autosaveFile();
    // Removes the autosave: the results were saved or knowingly discarded.
    void discardAutosave();
    // Restores an autosave as an unsaved session: dirty, with no file of its own.
    void openAutosave();
    // Off for runs that are not a user's work (--screenshot): no autosave is
    // written, and a user's own is left alone.
    void setAutosaveEnabled(bool enabled) { m_autosave = enabled; }

    // Both throw wemoe::Error naming the file; nothing changes on failure.
    void save(const QString &file);
    // Restores the results and settings, and asks for the session's pool to be
    // opened when it is not the open one (or warns when it is gone).
    void open(const QString &file);

Q_SIGNALS:
    void fileChanged(const QString &file);
    void dirtyChanged(bool dirty);
    void openPoolRequested(const QString &pool);
    void info(const QString &message);
    void warning(const QString &message);

private:
    void setDirty(bool dirty);
    void resultFinished();
    SessionData snapshot() const;

    WorkspaceController *m_workspace;
    EvaluationController *m_evaluation;
    AdaptationController *m_adaptation;
    MethodsPanel *m_methods;
    QString m_file;
    QString m_pool; // the pool named by the session last opened
    bool m_dirty = false;
    bool m_restoring = false; // opening a session replays results: they are not new
    bool m_autosave = true;
};

} // namespace wemoe::ui
