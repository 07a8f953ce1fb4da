#include "main_window.h"

#include "common/error.h"
#include "controllers/adaptation_controller.h"
#include "controllers/compute_environment.h"
#include "controllers/demo_zoo_estimate.h"
#include "controllers/evaluation_controller.h"
#include "controllers/export_controller.h"
#include "controllers/language.h"
#include "controllers/workspace_controller.h"
#include "models/accuracy_table_model.h"
#include "models/session_data.h"
#include "panels/accuracy_panel.h"
#include "panels/coefficient_panel.h"
#include "panels/export_dialog.h"
#include "panels/image_routing_panel.h"
#include "panels/jobs_panel.h"
#include "panels/log_panel.h"
#include "panels/methods_panel.h"
#include "panels/routing_panel.h"
#include "panels/sweep_panel.h"
#include "panels/task_vector_panel.h"
#include "panels/workspace_panel.h"
#include "queue/duration_text.h"
#include "queue/job_queue.h"
#include "window/dropped_file.h"
#include "window/editors_keep_escape.h"
#include "window/job_status_bar.h"
#include "window/recent_files.h"
#include "window/result_exports.h"
#include "window/start_page.h"
#include "window/studio_session.h"
#include "zoo/zoo_cache.h"

#include <QtCore/QEvent>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QMimeData>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QActionGroup>
#include <QtGui/QCloseEvent>
#include <QtGui/QDragEnterEvent>
#include <QtGui/QDropEvent>
#include <QtGui/QScreen>
#include <QtGui/QShowEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolBar>

#include <algorithm>
#include <iterator>

namespace wemoe::ui {

namespace {

const QString kGeometryKey = QStringLiteral("ui/geometry");
const QString kStateKey = QStringLiteral("ui/windowState");
const QString kMethodsKey = QStringLiteral("ui/methodSettings");
const QString kFolderKey = QStringLiteral("ui/lastFolder");

QIcon icon(const char *name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    // Created first, destroyed first: the worker is idle before the controllers go.
    , m_queue(new JobQueue(this))
    , m_workspace(new WorkspaceController(m_queue, this))
    , m_evaluation(new EvaluationController(m_queue, m_workspace, this))
    , m_adaptation(new AdaptationController(m_queue, m_workspace, m_evaluation, this))
    , m_export(new ExportController(m_queue, m_workspace, this))
    , m_central(new QStackedWidget(this))
    , m_start(new StartPage(this))
    , m_tabs(new QTabWidget(this))
    , m_accuracy(new AccuracyPanel(m_evaluation->tableModel(), this))
    , m_sweep(new SweepPanel(this))
    , m_taskVectors(new TaskVectorPanel(this))
    , m_routing(new RoutingPanel(this))
    , m_images(new ImageRoutingPanel(this))
    , m_coefficients(new CoefficientPanel(this))
    , m_workspacePanel(new WorkspacePanel(this))
    , m_methods(new MethodsPanel(this))
    , m_log(new LogPanel(this))
    , m_jobs(new JobsPanel(m_queue, this))
    , m_status(new JobStatusBar(m_queue, this))
    , m_session(new StudioSession(m_workspace, m_evaluation, m_adaptation, m_methods, this))
    , m_exports(std::make_unique<ResultExports>(m_evaluation, m_adaptation, m_export))
{
    setObjectName(QStringLiteral("MainWindow"));
    // Page names for screenshots and tests.
    m_accuracy->setObjectName(QStringLiteral("accuracy"));
    m_sweep->setObjectName(QStringLiteral("sweep"));
    m_taskVectors->setObjectName(QStringLiteral("task-vectors"));
    m_routing->setObjectName(QStringLiteral("routing"));
    m_images->setObjectName(QStringLiteral("images"));
    m_coefficients->setObjectName(QStringLiteral("adamerging-lambda"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/wemoe-studio.svg")));
    qApp->installEventFilter(new EditorsKeepEscape(this));
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    // Each page scrolls once the window is smaller than its plots' minimum
    // sizes (a 1024 x 700 laptop): a heatmap 30 px tall shows nothing.
    const auto scrolling = [this](QWidget *page) {
        auto *area = new QScrollArea(m_tabs);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        area->setWidget(page);
        return area;
    };
    // Titles and tooltips: retranslateUi().
    m_tabs->addTab(m_accuracy, icon("table"), QString());
    m_tabs->addTab(scrolling(m_sweep), icon("sweep"), QString());
    m_tabs->addTab(scrolling(m_taskVectors), icon("heatmap"), QString());
    m_tabs->addTab(scrolling(m_routing), icon("routing"), QString());
    m_tabs->addTab(scrolling(m_images), icon("images"), QString());
    m_tabs->addTab(scrolling(m_coefficients), icon("heatmap"), QString());
    m_tabs->setDocumentMode(true);
    m_central->addWidget(m_start);
    m_central->addWidget(m_tabs);
    setCentralWidget(m_central);

    createActions();
    createMenus();
    createDocks();
    retranslateUi();

    setStatusBar(m_status);

    connectControllers();
    m_defaultLayout = saveState(); // View ▸ Reset layout returns here
    restoreSettings();
    updateCompute();
    updateTitle();
    updateActions();
    updateDemoEntries();
    updateRecentOnStartPage();
}

MainWindow::~MainWindow() = default;

QString MainWindow::demoPoolFolder()
{
    return defaultZooCacheFolder();
}

void MainWindow::createActions()
{
    // Texts and tooltips: retranslateUi().
    m_openAction = new QAction(icon("open"), QString(), this);
    m_openAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::promptOpen);

    m_importAction = new QAction(icon("pool"), QString(), this);
    connect(m_importAction, &QAction::triggered, this, &MainWindow::promptImportFusionBench);

    // Their text and tooltip say what opening costs (updateDemoEntries).
    m_openQuickDemoAction = new QAction(icon("demo"), QString(), this);
    connect(m_openQuickDemoAction, &QAction::triggered, this, [this] { openDemoPool(true); });
    m_openFullDemoAction = new QAction(icon("demo"), QString(), this);
    connect(m_openFullDemoAction, &QAction::triggered, this, [this] { openDemoPool(false); });

    m_saveSessionAction = new QAction(icon("save"), QString(), this);
    m_saveSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    connect(m_saveSessionAction, &QAction::triggered, this, &MainWindow::promptSaveSession);

    m_saveSessionAsAction = new QAction(this);
    m_saveSessionAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(m_saveSessionAsAction, &QAction::triggered, this, &MainWindow::promptSaveSessionAs);

    m_exportAction = new QAction(icon("export"), QString(), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportAction, &QAction::triggered, this, [this] { promptExport(); });

    m_quitAction = new QAction(icon("quit"), QString(), this);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::close);

    m_runAction = new QAction(icon("run"), QString(), this);
    m_runAction->setShortcut(QKeySequence(Qt::Key_F5));
    connect(m_runAction, &QAction::triggered, this, &MainWindow::run);

    m_cancelAction = new QAction(icon("cancel"), QString(), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancel);
    addAction(m_cancelAction); // Esc works even with the toolbar hidden
}

void MainWindow::createMenus()
{
    // Titles and texts: retranslateUi().
    QMenu *file = m_fileMenu = menuBar()->addMenu(QString());
    file->setToolTipsVisible(true);
    // A demo zoo may have been built (or its cache removed) since the menu was last shown.
    connect(file, &QMenu::aboutToShow, this, &MainWindow::updateDemoEntries);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(icon("open"), QString());
    m_recent = new RecentFiles(m_recentMenu, this);
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::openPath);
    connect(m_recent, &RecentFiles::changed, this, &MainWindow::updateRecentOnStartPage);
    file->addAction(m_openQuickDemoAction);
    file->addAction(m_openFullDemoAction);
    file->addAction(m_importAction);
    file->addSeparator();
    file->addAction(m_saveSessionAction);
    file->addAction(m_saveSessionAsAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    m_runMenu = menuBar()->addMenu(QString());
    m_runMenu->addAction(m_runAction);
    m_runMenu->addAction(m_cancelAction);

    m_viewMenu = menuBar()->addMenu(QString());

    m_languageMenu = menuBar()->addMenu(QString());
    m_languageGroup = new QActionGroup(this);
    const QString current = languageSetting();
    // Language names are written in their own language, so anyone can find
    // theirs; only "System" is translated (retranslateUi).
    const std::pair<QString, QString> choices[] = {
        {QStringLiteral("system"), QString()},
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("zh_CN"), QStringLiteral("简体中文")},
    };
    for (const auto &[key, name] : choices) {
        QAction *action = m_languageMenu->addAction(name);
        action->setData(key);
        action->setCheckable(true);
        action->setChecked(key == current);
        action->setActionGroup(m_languageGroup);
        connect(action, &QAction::triggered, this, [this, key = key] { setLanguage(key); });
    }

    m_helpMenu = menuBar()->addMenu(QString());
    m_aboutAction = m_helpMenu->addAction(icon("wemoe-studio"), QString(), this, &MainWindow::showAbout);

    QToolBar *toolbar = m_toolbar = addToolBar(QString());
    toolbar->setObjectName(QStringLiteral("MainToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_openAction);
    toolbar->addAction(m_runAction);
    toolbar->addAction(m_cancelAction);
    toolbar->addSeparator();
    toolbar->addAction(m_saveSessionAction);
    toolbar->addAction(m_exportAction);
    m_viewMenu->addAction(toolbar->toggleViewAction());
    m_viewMenu->addSeparator();
}

void MainWindow::createDocks()
{
    // Titles: retranslateUi().
    const auto dock = [this](QWidget *widget, const char *name, Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(this);
        d->setObjectName(QLatin1String(name));
        d->setWidget(widget);
        addDockWidget(area, d);
        m_viewMenu->addAction(d->toggleViewAction());
        return d;
    };
    QDockWidget *workspace = m_workspaceDock = dock(m_workspacePanel, "WorkspaceDock", Qt::LeftDockWidgetArea);
    QDockWidget *methods = m_methodsDock = dock(m_methods, "MethodsDock", Qt::LeftDockWidgetArea);
    QDockWidget *jobs = m_jobsDock = dock(m_jobs, "JobsDock", Qt::BottomDockWidgetArea);
    QDockWidget *log = m_logDock = dock(m_log, "LogDock", Qt::BottomDockWidgetArea);
    splitDockWidget(workspace, methods, Qt::Vertical);
    tabifyDockWidget(jobs, log);
    jobs->raise();
    // Three rows of jobs are enough to follow a run; the results keep the room.
    for (QDockWidget *bottom : {jobs, log})
        bottom->widget()->setMinimumHeight(60);
    // The side panels stay usable in a small window; the results page scrolls instead.
    for (QDockWidget *side : {workspace, methods})
        side->widget()->setMinimumWidth(240);

    m_viewMenu->addSeparator();
    m_resetLayoutAction = m_viewMenu->addAction(QString());
    connect(m_resetLayoutAction, &QAction::triggered, this, &MainWindow::resetLayout);
}

void MainWindow::retranslateUi()
{
    m_openAction->setText(tr("&Open…"));
    m_openAction->setToolTip(tr("Open a model pool (pool.json, or a FusionBench model-pool YAML), a saved session "
                                "with its pool, settings and results, or the λ saved beside an exported AdaMerging "
                                "model (Ctrl+O). You can also drop a pool file or folder, a session, a model folder "
                                "or its adamerging-coefficients.json on the window."));
    m_importAction->setText(tr("&Import a FusionBench pool…"));
    m_importAction->setToolTip(tr("Open a FusionBench CLIP model-pool YAML: its models are found in the Hugging Face "
                                  "cache, its test images in a data folder beside it."));
    m_saveSessionAction->setText(tr("&Save session"));
    m_saveSessionAction->setToolTip(tr("Save the pool, the settings and every finished result (Ctrl+S)."));
    m_saveSessionAsAction->setText(tr("Save session &as…"));
    m_exportAction->setText(tr("&Export model…"));
    m_exportAction->setToolTip(tr("Write the merged model of a finished method as a Hugging Face folder, the WEMoE "
                                  "model with its routers, or WEMoE collapsed per task (Ctrl+E)."));
    m_quitAction->setText(tr("&Quit"));
    m_runAction->setText(tr("&Run"));
    m_runAction->setToolTip(tr("Merge, adapt and evaluate the checked methods on the open pool (F5). Jobs queue and "
                               "run one at a time."));
    m_cancelAction->setText(tr("&Cancel"));
    m_cancelAction->setToolTip(tr("Stop the running job and drop the queued ones (Esc, outside text and number "
                                  "fields). Asks first when the job has run for more than 30 s. Finished results "
                                  "stay."));
    updateDemoEntries(); // the demo entries' texts carry what opening costs

    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &recent"));
    m_runMenu->setTitle(tr("&Run"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    for (QAction *action : m_languageGroup->actions()) {
        if (action->data().toString() == QLatin1String("system"))
            action->setText(tr("System"));
    }
    m_helpMenu->setTitle(tr("&Help"));
    m_aboutAction->setText(tr("&About WEMoE Studio"));
    m_toolbar->setWindowTitle(tr("Main")); // its View menu entry follows
    m_resetLayoutAction->setText(tr("&Reset layout"));
    m_resetLayoutAction->setToolTip(
        tr("Put the panels back where they were at the first start, at their first sizes."));

    // In the order the pages were added.
    const std::pair<QString, QString> tabs[] = {
        {tr("Accuracy"), tr("Accuracy of every method on every task, with the average and the normalized accuracy.")},
        {tr("λ sweep"), tr("Accuracy against the scaling factor λ.")},
        {tr("Task vectors"), tr("How similar the tasks' weight changes are.")},
        {tr("Routing"), tr("WEMoE's routing weights per layer and expert, and the adaptation curve.")},
        {tr("Images"), tr("One test image at a time with its predicted label and routing weights.")},
        {tr("Learned λ"), tr("The merging coefficients AdaMerging learned, per tensor (or block) and task.")},
    };
    for (int i = 0; i < m_tabs->count() && i < int(std::size(tabs)); ++i) {
        m_tabs->setTabText(i, tabs[i].first);
        m_tabs->setTabToolTip(i, tabs[i].second);
    }
    // Their View menu entries follow the titles.
    m_workspaceDock->setWindowTitle(tr("Workspace"));
    m_methodsDock->setWindowTitle(tr("Methods"));
    m_jobsDock->setWindowTitle(tr("Jobs"));
    m_logDock->setWindowTitle(tr("Log"));

    // The device names ("CPU (4 threads)") are translated too.
    m_methods->setDevices(availableDevices());
    updateCompute();
}

void MainWindow::changeEvent(QEvent *event)
{
    // Sent by Qt when the language switches (LanguageSwitcher); the panels
    // inside retranslate themselves from the same event, after this.
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::showPage(QWidget *panel)
{
    showResults(); // in place of the start page, if it still stands
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *area = qobject_cast<QScrollArea *>(m_tabs->widget(i));
        if (m_tabs->widget(i) == panel || (area && area->widget() == panel)) {
            m_tabs->setCurrentIndex(i);
            return;
        }
    }
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultLayout);
    for (QDockWidget *dock : findChildren<QDockWidget *>()) {
        dock->setFloating(false);
        dock->show();
    }
    applyDefaultDockSizes();
}

void MainWindow::applyDefaultDockSizes()
{
    QList<QDockWidget *> left, bottom;
    for (QDockWidget *dock : findChildren<QDockWidget *>()) {
        if (dockWidgetArea(dock) == Qt::LeftDockWidgetArea)
            left << dock;
        else if (dockWidgetArea(dock) == Qt::BottomDockWidgetArea)
            bottom << dock;
    }
    // A third of the width at most for the side panels, a fifth of the height
    // for Jobs and Log: the results are what the window is for.
    if (!left.isEmpty())
        resizeDocks({left.first()}, {qBound(260, width() * 3 / 10, 440)}, Qt::Horizontal);
    if (left.size() == 2) // workspace over methods
        resizeDocks(left, {height() * 2 / 5, height() * 3 / 5}, Qt::Vertical);
    if (!bottom.isEmpty())
        resizeDocks({bottom.first()}, {qBound(100, height() / 6, 180)}, Qt::Vertical);
}

void MainWindow::connectControllers()
{
    connect(m_queue, &JobQueue::jobStarted, this, [this](Job *job) {
        m_log->info(tr("Started: %1").arg(job->title()));
        connect(job, &Job::warningReported, m_log,
                [this, job](const QString &w) { m_log->warning(QStringLiteral("%1: %2").arg(job->title(), w)); });
    });
    connect(m_queue, &JobQueue::jobFinished, this, [this](Job *job) {
        const QString time = formatDuration(job->elapsedSeconds());
        switch (job->state()) {
        case Job::State::Finished: m_log->info(tr("Finished: %1 (%2)").arg(job->title(), time)); break;
        case Job::State::Cancelled: m_log->warning(tr("Cancelled: %1").arg(job->title())); break;
        case Job::State::Failed: {
            // The reason in the log, and a notice that opens it there.
            const int entry = m_log->error(tr("Failed: %1 — %2").arg(job->title(), job->errorMessage()));
            m_status->showFailure(job->title(), job->errorMessage(), entry);
            break;
        }
        default: break;
        }
    });
    connect(m_queue, &JobQueue::busyChanged, this, &MainWindow::updateActions);
    connect(m_status, &JobStatusBar::failureOpened, this, [this](int entry) {
        if (auto *dock = findChild<QDockWidget *>(QStringLiteral("LogDock"))) {
            dock->show();
            dock->raise();
        }
        m_log->showEntry(entry);
    });
    connect(m_queue, &JobQueue::idle, this, [this] {
        if (m_closeWhenIdle)
            QTimer::singleShot(0, this, &MainWindow::close);
    });

    connect(m_workspace, &WorkspaceController::poolChanged, this, [this] {
        m_workspacePanel->setInfo(m_workspace->info());
        m_recent->add(m_workspace->poolPath());
        m_start->setStatus(QString());
        m_start->setDemoBusy(false);
        updateDemoEntries(); // a demo zoo just built is "ready" now
        showResults();
        m_log->info(
            tr("Pool loaded: %1 (%n task(s))", nullptr, m_workspace->info().tasks.size()).arg(m_workspace->poolPath()));
        for (const TaskInfo &task : m_workspace->info().tasks) {
            if (!task.testOk)
                m_log->warning(tr("Task %1 cannot be evaluated: %2").arg(task.name, task.testStatus));
        }
        updateTitle();
        updateActions();
    });
    connect(m_workspace, &WorkspaceController::poolLoadFailed, this, [this](const QString &path, const QString &error) {
        showLoadOutcome(path.isEmpty() ? tr("The demo zoo could not be prepared: %1").arg(error)
                                       : tr("%1 could not be opened: %2").arg(QDir::toNativeSeparators(path), error));
        showError(tr("Cannot open the pool"), error);
    });
    connect(m_workspace, &WorkspaceController::poolLoadCancelled, this, [this](const QString &path) {
        const QString what = path.isEmpty() ? tr("Preparing the demo zoo was cancelled; nothing was kept.")
                                            : tr("Loading %1 was cancelled.").arg(QDir::toNativeSeparators(path));
        m_log->warning(what);
        showLoadOutcome(what);
    });

    connect(m_start, &StartPage::openDemoRequested, this, [this](bool quick) { openDemoPool(quick); });
    connect(m_start, &StartPage::openRequested, this, &MainWindow::promptOpen);
    connect(m_start, &StartPage::importRequested, this, &MainWindow::promptImportFusionBench);
    connect(m_start, &StartPage::openPathRequested, this, &MainWindow::openPath);
    connect(m_workspace, &WorkspaceController::modelInspected, m_workspacePanel, &WorkspacePanel::addInspected);

    connect(m_evaluation, &EvaluationController::sweepsChanged, this,
            [this] { m_sweep->setSweeps(m_evaluation->sweeps()); });
    connect(m_evaluation, &EvaluationController::taskSimilarityChanged, this,
            [this] { m_taskVectors->setSimilarity(m_evaluation->taskSimilarity()); });
    connect(m_evaluation, &EvaluationController::warning, m_log, &LogPanel::warning);
    connect(m_evaluation, &EvaluationController::rowFinished, this, [this] { updateActions(); });

    connect(m_adaptation, &AdaptationController::curveChanged, this,
            [this] { m_routing->setAdaptationCurves(m_adaptation->curves()); });
    connect(m_adaptation, &AdaptationController::captureChanged, this, &MainWindow::showCapture);
    connect(m_adaptation, &AdaptationController::coefficientsChanged, this,
            [this] { m_coefficients->setTables(m_adaptation->coefficientTables()); });
    connect(m_coefficients, &CoefficientPanel::openRequested, this, &MainWindow::promptOpenCoefficients);
    connect(m_adaptation, &AdaptationController::warning, m_log, &LogPanel::warning);
    connect(m_adaptation, &AdaptationController::rowFinished, this, [this] { updateActions(); });

    connect(m_export, &ExportController::exported, this, [this](const QString &folder, const QString &label) {
        m_log->info(tr("Exported %1 to %2").arg(label, QDir::toNativeSeparators(folder)));
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(folder)), 8000);
    });
    // An export the user asked for and waits on: its failure is a dialog, not only a Jobs row.
    connect(m_export, &ExportController::exportFailed, this,
            [this](const QString &, const QString &label, const QString &reason) {
                showError(tr("Export of %1 failed").arg(label), reason);
            });
    connect(m_accuracy, &AccuracyPanel::exportModelRequested, this, &MainWindow::promptExport);

    connect(m_methods, &MethodsPanel::settingsChanged, this, [this] {
        QSettings().setValue(
            kMethodsKey,
            QString::fromUtf8(QJsonDocument(m_methods->settings().toJson()).toJson(QJsonDocument::Compact)));
        updateCompute();
    });

    connect(m_session, &StudioSession::fileChanged, this, &MainWindow::updateTitle);
    connect(m_session, &StudioSession::dirtyChanged, this, &MainWindow::updateTitle);
    connect(m_session, &StudioSession::openPoolRequested, this, &MainWindow::openPool);
    connect(m_session, &StudioSession::info, m_log, &LogPanel::info);
    connect(m_session, &StudioSession::warning, m_log, &LogPanel::warning);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    const QString methods = settings.value(kMethodsKey).toString();
    if (!methods.isEmpty()) {
        try {
            m_methods->setSettings(MethodSettings::fromJson(QJsonDocument::fromJson(methods.toUtf8()).object()));
        } catch (const Error &e) {
            m_log->warning(tr("Saved method settings ignored: %1").arg(e.message()));
        }
    }
    // First start: a roomy window, but never larger than the screen (on a
    // 1024 x 700 laptop the Jobs dock and status bar fell off its bottom).
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray()))
        resize(screen() ? QSize(1480, 940).boundedTo(screen()->availableGeometry().size()) : QSize(1480, 940));
    // First start: the side panels get their room once the window is shown (showEvent).
    m_defaultDockSizes = !restoreState(settings.value(kStateKey).toByteArray());
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
}

QStringList MainWindow::recentPools() const
{
    return m_recent->files(RecentFiles::Kind::Pool);
}

QStringList MainWindow::recentSessions() const
{
    return m_recent->files(RecentFiles::Kind::Session);
}

bool MainWindow::showsStartPage() const
{
    return m_central->currentWidget() == m_start;
}

void MainWindow::showResults()
{
    m_central->setCurrentWidget(m_tabs);
}

void MainWindow::updateRecentOnStartPage()
{
    m_start->setRecent(recentPools(), recentSessions());
}

void MainWindow::updateDemoEntries()
{
    const std::pair<QAction *, bool> entries[] = {{m_openQuickDemoAction, true}, {m_openFullDemoAction, false}};
    for (const auto &[action, quick] : entries) {
        const DemoZooEstimate estimate = DemoZooEstimate::current(quick);
        action->setText(quick ? tr("Open the &quick demo (%1)").arg(estimate.brief())
                              : tr("Open the &full demo (%1)").arg(estimate.brief()));
        const QString what = quick ? tr("The quick demo zoo: a tiny CLIP-layout model fine-tuned briefly on eight "
                                        "small datasets.")
                                   : tr("The full demo zoo: the same eight tasks with more images and longer "
                                        "training.");
        action->setToolTip(what + QLatin1Char(' ') + estimate.text());
        action->setStatusTip(action->toolTip());
        m_start->setDemoEstimate(estimate);
    }
}

void MainWindow::showLoadOutcome(const QString &what)
{
    m_workspacePanel->setInfo(m_workspace->info(), what); // the last good pool (or none) stays
    m_start->setStatus(what, true);
    m_start->setDemoBusy(false);
    updateDemoEntries();
}

void MainWindow::updateTitle()
{
    // Qt appends " — WEMoE Studio" itself (the application's display name), so
    // the title holds only what is open; with nothing open it is the name alone.
    QString title;
    if (!m_workspace->info().isEmpty())
        title = m_workspace->info().poolName;
    if (!m_session->file().isEmpty())
        title = QStringLiteral("%1 [%2]").arg(title, QFileInfo(m_session->file()).fileName()).trimmed();
    // "[*]" becomes "*" while results are unsaved.
    setWindowTitle(title + QStringLiteral("[*]"));
    setWindowModified(m_session->isDirty());
}

void MainWindow::updateActions()
{
    const bool busy = m_queue->isBusy();
    m_cancelAction->setEnabled(busy);
    m_exportAction->setEnabled(!m_evaluation->exportableRows().isEmpty() || !m_adaptation->exportableRows().isEmpty());
}

void MainWindow::showCapture(const RoutingCapture &capture)
{
    try {
        m_routing->setCapture(capture);
        m_routing->setCaptureLabel(m_adaptation->captureLabel());
        m_images->setCapture(capture);
    } catch (const Error &e) {
        showError(tr("Cannot show the routing weights"), e.message());
    }
}

void MainWindow::updateCompute()
{
    const MethodSettings settings = m_methods->settings();
    m_status->setCompute(settings.device, settings.threads);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    m_log->error(message);
    statusBar()->showMessage(title, 8000);
    if (!m_interactive)
        return;
    // Non-blocking: the window keeps running its jobs while the message is up.
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::settleUnsavedResults(const QString &action)
{
    if (!m_session->isDirty())
        return true;
    UnsavedChoice choice = UnsavedChoice::Discard; // no one to ask (--screenshot)
    if (m_unsavedAnswer) {
        choice = m_unsavedAnswer();
    } else if (m_interactive) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved results"),
            tr("Results have finished since the session was last saved. Save them before you %1?").arg(action),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        choice = answer == QMessageBox::Save      ? UnsavedChoice::Save
                 : answer == QMessageBox::Discard ? UnsavedChoice::Discard
                                                  : UnsavedChoice::Cancel;
    }
    switch (choice) {
    case UnsavedChoice::Save:
        promptSaveSession();
        return !m_session->isDirty(); // the file dialog may have been cancelled
    case UnsavedChoice::Discard: m_session->discardAutosave(); return true;
    case UnsavedChoice::Cancel: return false;
    }
    return false;
}

void MainWindow::offerAutosave()
{
    if (!QFileInfo::exists(StudioSession::autosaveFile()))
        return;
    bool restore = false;
    if (m_restoreAnswer) {
        restore = m_restoreAnswer();
    } else if (m_interactive) {
        restore = QMessageBox::question(this, tr("Restore unsaved results?"),
                                        tr("The last session ended with results that were not saved. Restore them?"),
                                        QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes)
                  == QMessageBox::Yes;
    } else {
        return; // no one to ask: the autosave stays for the next start
    }
    try {
        if (restore) {
            m_session->openAutosave();
            showResults();
        } else {
            m_session->discardAutosave();
        }
    } catch (const Error &e) {
        showError(tr("Cannot restore the unsaved results"), e.message());
    }
}

void MainWindow::openPool(const QString &path)
{
    if (m_workspace->hasPool()
        && WorkspaceController::resolvePoolFile(path) != QFileInfo(m_workspace->poolPath()).absoluteFilePath()
        && !settleUnsavedResults(tr("open another pool")))
        return;
    m_workspacePanel->setLoading(WorkspaceController::resolvePoolFile(path));
    m_start->setStatus(tr("Loading %1 …").arg(QDir::toNativeSeparators(WorkspaceController::resolvePoolFile(path))));
    m_workspace->openPool(path);
}

void MainWindow::openDemoPool(bool quick)
{
    if (m_workspace->hasPool() && !settleUnsavedResults(tr("open the demo")))
        return;
    const QString folder = demoPoolFolder();
    const DemoZooEstimate estimate = DemoZooEstimate::current(quick);
    m_log->info(tr("Demo zoo (%1): %2 %3")
                    .arg(quick ? tr("quick recipe") : tr("standard recipe"), QDir::toNativeSeparators(folder),
                         estimate.text()));
    m_workspacePanel->setLoading(folder);
    // Said where the user clicked: what is happening, how long it takes, where to follow and stop it.
    m_start->setStatus(estimate.source == DemoZooEstimate::Source::Cached
                           ? tr("Opening the demo zoo…")
                           : tr("Building the %1 demo zoo first: %2 Progress is in the Jobs panel; Esc cancels.")
                                 .arg(quick ? tr("quick") : tr("full"), estimate.text()));
    m_start->setDemoBusy(true);
    m_workspace->openDemoZoo(quick);
}

QList<Job *> MainWindow::runConfigured()
{
    if (!m_workspace->hasPool() && !m_workspace->isLoading()) {
        showError(tr("Nothing to run on"), tr("Open a model pool first (File ▸ Open…, Ctrl+O), or the demo."));
        return {};
    }
    try {
        const MethodSettings settings = m_methods->settings();
        QList<Job *> jobs = m_evaluation->run(settings);
        // The quick static rows first; the adaptive methods take longer.
        jobs += m_adaptation->run(settings);
        m_log->info(tr("Queued %n job(s).", nullptr, jobs.size()));
        if (settings.maxTestImagesPerTask > 0 && !jobs.isEmpty())
            m_log->info(tr("Accuracies are measured on a seeded subset of at most %n test image(s) per task.", nullptr,
                           settings.maxTestImagesPerTask));
        return jobs;
    } catch (const Error &e) {
        showError(tr("Cannot run"), e.message());
        return {};
    }
}

void MainWindow::run()
{
    runConfigured();
}

void MainWindow::cancel()
{
    if (!m_queue->isBusy())
        return;
    // Half a minute of work is worth a second look before it is thrown away.
    const Job *running = m_queue->current();
    if (m_interactive && running && running->elapsedSeconds() > 30.0) {
        const auto answer = QMessageBox::question(
            this, tr("Cancel the running job?"),
            tr("\"%1\" has run for %2. Cancelling stops it and drops the queued jobs; results finished so far "
               "stay.")
                .arg(running->title(), formatDuration(running->elapsedSeconds())),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return;
    }
    m_queue->cancelAll();
    m_log->warning(tr("Cancel requested: the running job stops at its next unit of work."));
}

void MainWindow::promptOpen()
{
    QSettings settings;
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open a pool or a session"), settings.value(kFolderKey).toString(),
        tr("Pools, sessions and AdaMerging coefficients (*.json *.yaml *.yml);;FusionBench pools (*.yaml "
           "*.yml);;All files (*)"));
    if (file.isEmpty())
        return;
    settings.setValue(kFolderKey, QFileInfo(file).absolutePath());
    openPath(file); // a session, a pool or saved λ, by what the file holds
}

void MainWindow::promptOpenCoefficients()
{
    QSettings settings;
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open AdaMerging coefficients"), settings.value(kFolderKey).toString(),
        tr("AdaMerging coefficients (adamerging-coefficients.json *.json);;All files (*)"));
    if (file.isEmpty())
        return;
    settings.setValue(kFolderKey, QFileInfo(file).absolutePath());
    openPath(file);
}

void MainWindow::promptImportFusionBench()
{
    QSettings settings;
    const QString file = QFileDialog::getOpenFileName(this, tr("Import a FusionBench model pool"),
                                                      settings.value(kFolderKey).toString(),
                                                      tr("FusionBench model pools (*.yaml *.yml);;All files (*)"));
    if (file.isEmpty())
        return;
    settings.setValue(kFolderKey, QFileInfo(file).absolutePath());
    openPool(file);
}

void MainWindow::promptSaveSession()
{
    if (m_session->file().isEmpty()) {
        promptSaveSessionAs();
        return;
    }
    try {
        saveSession(m_session->file());
    } catch (const Error &e) {
        showError(tr("Cannot save the session"), e.message());
    }
}

void MainWindow::promptSaveSessionAs()
{
    QSettings settings;
    const QString base = m_workspace->info().isEmpty() ? QStringLiteral("session") : m_workspace->info().poolName;
    QString file = QFileDialog::getSaveFileName(
        this, tr("Save session"), QDir(settings.value(kFolderKey).toString()).filePath(base + sessionFileSuffix()),
        tr("WEMoE Studio sessions (*.json)"));
    if (file.isEmpty())
        return;
    if (!file.endsWith(QLatin1String(".json")))
        file += sessionFileSuffix();
    settings.setValue(kFolderKey, QFileInfo(file).absolutePath());
    try {
        saveSession(file);
    } catch (const Error &e) {
        showError(tr("Cannot save the session"), e.message());
    }
}

void MainWindow::saveSession(const QString &file)
{
    m_session->save(file);
    m_recent->add(m_session->file());
    statusBar()->showMessage(tr("Session saved"), 5000);
}

void MainWindow::openSession(const QString &file)
{
    // Opening a session replaces the results shown: unsaved ones are asked about first.
    if (!settleUnsavedResults(tr("open another session")))
        return;
    m_session->open(file);
    m_recent->add(m_session->file());
    showPage(m_accuracy); // the results, in place of the start page
    updateActions();
}

QVector<ExportChoice> MainWindow::exportChoices() const
{
    return m_exports->choices();
}

void MainWindow::promptExport(const QString &row)
{
    const QVector<ExportChoice> choices = exportChoices();
    if (choices.isEmpty()) {
        showError(tr("Nothing to export"), tr("Run a method first: the merged model of any finished static method or "
                                              "AdaMerging, and the WEMoE model, can be exported."));
        return;
    }
    if (!row.isEmpty() && !m_exports->offers(row)) {
        showError(tr("Cannot export"), tr("“%1” has no model to export (individual models are one per task; results "
                                          "of a reopened session are numbers, not models).")
                                           .arg(row));
        return;
    }
    if (!m_workspace->hasPool()) {
        showError(tr("Cannot export"), tr("Open the pool these results were measured on first."));
        return;
    }
    QSettings settings;
    const QString defaultFolder = settings.value(kFolderKey, QDir::homePath()).toString();
    ExportDialog dialog(choices, row.isEmpty() ? choices.last().row : row, QDir::toNativeSeparators(defaultFolder),
                        this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    settings.setValue(kFolderKey, QFileInfo(dialog.folder()).absolutePath());
    exportResult(dialog.choice(), dialog.folder(), dialog.dtype(), dialog.overwrite());
}

Job *MainWindow::exportResult(const ExportChoice &choice, const QString &target, const QString &dtype, bool overwrite)
{
    try {
        return m_exports->start(choice, target, dtype, overwrite);
    } catch (const Error &e) {
        showError(tr("Cannot export"), e.message());
        return nullptr;
    }
}

void MainWindow::setLanguage(const QString &language)
{
    setLanguageSetting(language);
    for (QAction *action : m_languageGroup->actions())
        action->setChecked(action->data().toString() == language);
    // Every widget retranslates itself before this returns (changeEvent).
    LanguageSwitcher::of(*QCoreApplication::instance())->switchTo(language);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About WEMoE Studio"),
                       tr("<h3>WEMoE Studio %1</h3>"
                          "<p>Merges fine-tuned CLIP vision transformers into one multi-task model: simple averaging, "
                          "task arithmetic, TIES and DARE, AdaMerging, and weight-ensembling mixtures of experts "
                          "(WEMoE, Tang et al., ICML 2024) whose routing can be browsed per layer and per image.</p>"
                          "<p>Qt %2 · LibTorch · OpenCV · QCustomPlot</p>")
                           .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_defaultDockSizes)
        return;
    m_defaultDockSizes = false;
    // Sizes apply to a laid-out window only, hence after the first show.
    QTimer::singleShot(0, this, &MainWindow::applyDefaultDockSizes);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_queue->isBusy()) {
        if (!m_closeWhenIdle) {
            if (m_interactive) {
                const auto answer = QMessageBox::question(this, tr("Jobs are running"),
                                                          tr("Cancel the running and queued jobs and quit? Results "
                                                             "finished so far can be saved before the window "
                                                             "closes."),
                                                          QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
                if (answer != QMessageBox::Yes) {
                    event->ignore();
                    return;
                }
            }
            m_closeWhenIdle = true;
            m_queue->cancelAll();
            m_log->warning(tr("Quitting once the running job has stopped…"));
            statusBar()->showMessage(tr("Stopping the running job…"));
        }
        // The window closes from the queue's idle signal: the GUI does not wait here.
        event->ignore();
        return;
    }
    if (!settleUnsavedResults(tr("quit"))) {
        m_closeWhenIdle = false;
        event->ignore();
        return;
    }
    m_session->discardAutosave(); // saved or discarded: nothing is left to restore
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!event->mimeData()->hasUrls())
        return;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            return;
    }
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls())
        openPath(url.toLocalFile());
    event->acceptProposedAction();
}

void MainWindow::openPath(const QString &path)
{
    const DroppedFile dropped = DroppedFile::classify(path);
    switch (dropped.kind) {
    case DroppedFile::Kind::Pool: openPool(dropped.path); return;
    case DroppedFile::Kind::Model:
        m_workspace->inspectModel(dropped.path);
        try {
            // An exported AdaMerging model carries what it learned: shown on the λ page too.
            if (m_adaptation->openExportedCoefficients(dropped.path)) {
                m_coefficients->selectRun(m_coefficients->tables().size() - 1);
                m_log->info(tr("AdaMerging coefficients of %1 are on the “Learned λ” page.")
                                .arg(QDir::toNativeSeparators(dropped.path)));
            }
        } catch (const Error &e) {
            m_log->warning(e.message());
        }
        return;
    case DroppedFile::Kind::Session: try { openSession(dropped.path);
        } catch (const Error &e) {
            showError(tr("Cannot open the session"), e.message());
        }
        return;
    case DroppedFile::Kind::Coefficients:
        try {
            m_adaptation->openCoefficients(dropped.path);
            m_coefficients->selectRun(m_coefficients->tables().size() - 1); // opened, so shown
            showPage(m_coefficients);
        } catch (const Error &e) {
            showError(tr("Cannot open the AdaMerging coefficients"), e.message());
        }
        return;
    case DroppedFile::Kind::Unknown: break;
    }
    showError(tr("Cannot open the folder"), tr("%1 holds neither a pool (pool.json) nor a model (config.json).")
                                                .arg(QDir::toNativeSeparators(dropped.path)));
}

} // namespace wemoe::ui
