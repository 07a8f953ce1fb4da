#pragma once

#include "panels/export_dialog.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtWidgets/QMainWindow>

#include <functional>
#include <memory>

class QAction;
class QActionGroup;
class QDockWidget;
class QMenu;
class QStackedWidget;
class QTabWidget;
class QToolBar;

namespace wemoe::ui {

struct RoutingCapture;
class AccuracyPanel;
class AdaptationController;
class CoefficientPanel;
class EvaluationController;
class ExportController;
class ImageRoutingPanel;
class Job;
class JobQueue;
class JobStatusBar;
class JobsPanel;
class LogPanel;
class MethodsPanel;
class RecentFiles;
class ResultExports;
class RoutingPanel;
class StartPage;
class StudioSession;
class SweepPanel;
class TaskVectorPanel;
class WorkspaceController;
class WorkspacePanel;

// The studio's window: the workspace, methods, jobs and log panels around
// the results (accuracy table, λ sweep, task vectors, routing, images); the
// controllers do the work on the job queue, so the window never waits. Until
// a pool opens or a session is restored, the start page (StartPage) stands
// where the results go. It assembles the parts and wires them; the session
// file (StudioSession), the recent pools and sessions (RecentFiles), what can
// be exported (ResultExports), what a dropped file is (DroppedFile) and the
// status bar (JobStatusBar) are their own classes.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    JobQueue *jobQueue() const { return m_queue; }
    WorkspaceController *workspace() const { return m_workspace; }
    EvaluationController *evaluation() const { return m_evaluation; }
    AdaptationController *adaptation() const { return m_adaptation; }
    ExportController *exporter() const { return m_export; }
    QTabWidget *tabs() const { return m_tabs; }
    StartPage *startPage() const { return m_start; }
    // The start page until a pool opens or a session is restored, then the results (tabs()).
    bool showsStartPage() const;
    QMenu *recentMenu() const { return m_recentMenu; }
    // Brings the tab holding `panel` (one of the results panels) to the front.
    void showPage(QWidget *panel);
    AccuracyPanel *accuracyPanel() const { return m_accuracy; }
    SweepPanel *sweepPanel() const { return m_sweep; }
    TaskVectorPanel *taskVectorPanel() const { return m_taskVectors; }
    RoutingPanel *routingPanel() const { return m_routing; }
    ImageRoutingPanel *imageRoutingPanel() const { return m_images; }
    CoefficientPanel *coefficientPanel() const { return m_coefficients; }
    MethodsPanel *methodsPanel() const { return m_methods; }
    LogPanel *logPanel() const { return m_log; }

    // Without interaction no dialog opens (errors go to the log): for --screenshot.
    void setInteractive(bool interactive) { m_interactive = interactive; }

    // What to do with results that finished since the last save, asked before
    // quitting or opening another pool: a dialog, or (tests) a given answer.
    enum class UnsavedChoice { Save, Discard, Cancel };
    void setUnsavedResultsAnswer(std::function<UnsavedChoice()> answer) { m_unsavedAnswer = std::move(answer); }
    StudioSession *session() const { return m_session; }
    // Offers the results an earlier run left unsaved (it ended without saving
    // or discarding them); called once the window is shown.
    void offerAutosave();
    // Tests answer the restore question themselves (true: restore).
    void setRestoreAutosaveAnswer(std::function<bool()> answer) { m_restoreAnswer = std::move(answer); }

    void openPool(const QString &path);
    // A pool, a session, a model folder or AdaMerging's saved λ, told apart as
    // a dropped file is (DroppedFile).
    void openPath(const QString &path);
    // Opens the demo zoo, building it first (a job with progress) when it is not cached.
    void openDemoPool(bool quick);
    // The recipe --demo and --screenshot open: the standard one, or with --quick-zoo the quick one.
    void openDemoPool() { openDemoPool(m_quickDemoZoo); }
    void setQuickDemoZoo(bool quick) { m_quickDemoZoo = quick; }
    // Queues the methods panel's jobs; an empty list (and a logged reason) when nothing can run.
    QList<Job *> runConfigured();
    // Throws wemoe::Error naming the file.
    void saveSession(const QString &file);
    void openSession(const QString &file);
    // Pools and sessions opened (or saved) lately, newest first: File ▸ Open recent.
    QStringList recentPools() const;
    QStringList recentSessions() const;
    // What the export dialog offers: every finished result with a model to write.
    QVector<ExportChoice> exportChoices() const;
    // Queues writing one of them (what the dialog does once accepted); null and
    // an error in the window when it cannot be exported.
    Job *exportResult(const ExportChoice &choice, const QString &target, const QString &dtype = QStringLiteral("keep"),
                      bool overwrite = false);

    // Where the demo zoos are cached (the demo pool is not a "recent pool").
    static QString demoPoolFolder();

public Q_SLOTS:
    void run();
    void cancel();
    // A pool, a session or saved λ, told apart by content (openPath).
    void promptOpen();
    // An exported AdaMerging model's adamerging-coefficients.json, shown on the λ page.
    void promptOpenCoefficients();
    // A FusionBench model-pool YAML, which the pool loader reads directly.
    void promptImportFusionBench();
    void promptSaveSession();
    void promptSaveSessionAs();
    void promptExport(const QString &row = QString());
    // View ▸ Reset layout: every panel back in its first-start place and size.
    void resetLayout();
    // The Language menu: "system", "en" or "zh_CN". Saved for the next start
    // and applied at once: every text of the window follows.
    void setLanguage(const QString &language);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    // Every text the window sets itself; again when the language switches.
    void retranslateUi();
    void connectControllers();
    void restoreSettings();
    void applyDefaultDockSizes();
    void saveSettings();
    void updateTitle();
    void updateCompute();
    void updateActions();
    // The demo entries (start page, File menu) say what opening costs now.
    void updateDemoEntries();
    void updateRecentOnStartPage();
    void showResults();
    // After a load that did not end in a pool: the last good one (or none) stays, with why.
    void showLoadOutcome(const QString &what);
    void showError(const QString &title, const QString &message);
    void showCapture(const wemoe::ui::RoutingCapture &capture);
    void showAbout();

    JobQueue *m_queue;
    WorkspaceController *m_workspace;
    EvaluationController *m_evaluation;
    AdaptationController *m_adaptation;
    ExportController *m_export;

    QStackedWidget *m_central;
    StartPage *m_start;
    QTabWidget *m_tabs;
    AccuracyPanel *m_accuracy;
    SweepPanel *m_sweep;
    TaskVectorPanel *m_taskVectors;
    RoutingPanel *m_routing;
    ImageRoutingPanel *m_images;
    CoefficientPanel *m_coefficients;
    WorkspacePanel *m_workspacePanel;
    MethodsPanel *m_methods;
    LogPanel *m_log;
    JobsPanel *m_jobs;

    QAction *m_openAction = nullptr;
    QAction *m_openQuickDemoAction = nullptr;
    QAction *m_openFullDemoAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_saveSessionAction = nullptr;
    QAction *m_saveSessionAsAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_runMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QActionGroup *m_languageGroup = nullptr; // each action's data: its setting
    QMenu *m_helpMenu = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_resetLayoutAction = nullptr;
    QToolBar *m_toolbar = nullptr;
    QDockWidget *m_workspaceDock = nullptr;
    QDockWidget *m_methodsDock = nullptr;
    QDockWidget *m_jobsDock = nullptr;
    QDockWidget *m_logDock = nullptr;

    JobStatusBar *m_status;
    StudioSession *m_session;
    RecentFiles *m_recent = nullptr;
    std::unique_ptr<ResultExports> m_exports;
    bool m_interactive = true;
    bool m_closeWhenIdle = false;
    std::function<UnsavedChoice()> m_unsavedAnswer;
    std::function<bool()> m_restoreAnswer;
    // Saves, discards or keeps unsaved results as the user chooses; false: stay.
    bool settleUnsavedResults(const QString &action);
    bool m_defaultDockSizes = false;
    QByteArray m_defaultLayout;
    bool m_quickDemoZoo = false;
};

} // namespace wemoe::ui
