// The Language menu switches the window at once, without a restart: the
// menus, tabs, docks, the accuracy table's header, the methods panel, the
// start page, the status bar and Qt's own buttons follow to Chinese and back
// to English, and the methods' settings survive the switch. What each text
// should become is asked of the zh_CN translation itself.

#include "controllers/demo_zoo_estimate.h"
#include "controllers/evaluation_controller.h"
#include "controllers/language.h"
#include "main_window.h"
#include "methods/method_catalogue.h"
#include "models/accuracy_table_model.h"
#include "models/job_list_model.h"
#include "panels/accuracy_panel.h"
#include "panels/jobs_panel.h"
#include "panels/log_panel.h"
#include "panels/methods_panel.h"
#include "panels/routing_panel.h"
#include "panels/sweep_panel.h"
#include "panels/workspace_panel.h"
#include "plots/loss_curve_plot.h"
#include "plots/qcustomplot_wrapper.h"
#include "plots/sweep_plot.h"
#include "window/job_status_bar.h"
#include "window/start_page.h"

#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTranslator>
#include <QtGui/QAction>
#include <QtTest/QtTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QCommandLinkButton>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeWidget>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

// The texts checked, read from the window as a user sees them.
struct Shown
{
    QString fileMenu;
    QString firstTab;
    QString methodsDock;
    QString averageHeader;
    QString stateHeader;
    QString firstGroup;
    QString methodTitle;
    QString openButton;
    QString quickDemoButton;
    QString statusLine;
    QString workspaceHeader;
    QString qtCancel;
    QString messageBoxCancel;
    QString sweepAxis; // axis titles the plots set themselves
    QString lossAxis;
    bool exportImageButton = false;
};

const char *const kWindow = "wemoe::ui::MainWindow";

QStringList texts(const QList<QCheckBox *> &boxes)
{
    QStringList all;
    for (const QCheckBox *box : boxes)
        all << box->text();
    return all;
}

} // namespace

class TestLanguageSwitch : public QObject
{
    Q_OBJECT

private:
    QTranslator *m_zh = nullptr;   // the studio's zh_CN translation, asked what a text becomes
    QTranslator *m_qtZh = nullptr; // Qt's

    QString zh(const char *context, const char *source) const
    {
        const QString translated = m_zh->translate(context, source);
        return translated.isEmpty() ? QString::fromUtf8(source) : translated;
    }

    // The catalogue's first method whose title is translated (the check box a user sees).
    const MethodDescription &translatedMethod() const
    {
        for (const MethodDescription &method : methodCatalogue()) {
            if (zh("wemoe::MethodCatalogue", method.title) != QString::fromUtf8(method.title))
                return method;
        }
        return methodCatalogue().first();
    }

    static Shown read(MainWindow &window, QDialogButtonBox &box, const MethodDescription &method)
    {
        Shown shown;
        shown.fileMenu = window.menuBar()->actions().value(0)->text();
        shown.firstTab = window.tabs()->tabText(0);
        shown.methodsDock = window.findChild<QDockWidget *>(QStringLiteral("MethodsDock"))->windowTitle();
        const AccuracyTableModel *table = window.evaluation()->tableModel();
        shown.averageHeader = table->headerData(table->averageColumn(), Qt::Horizontal).toString();
        shown.stateHeader =
            window.findChild<JobsPanel *>()->model()->headerData(JobListModel::StateColumn, Qt::Horizontal).toString();
        shown.firstGroup = window.methodsPanel()->findChildren<QGroupBox *>().value(0)->title();
        for (const QCheckBox *check : window.methodsPanel()->findChildren<QCheckBox *>()) {
            if (check->toolTip() == catalogueText(method.summary))
                shown.methodTitle = check->text();
        }
        shown.openButton = window.startPage()->openButton()->text();
        shown.quickDemoButton = window.startPage()->quickDemoButton()->text();
        shown.statusLine = qobject_cast<JobStatusBar *>(window.statusBar())->jobText();
        shown.workspaceHeader = window.findChild<WorkspacePanel *>()->headerText();
        shown.qtCancel = box.button(QDialogButtonBox::Cancel)->text();
        // A message box made now speaks the language of now.
        QMessageBox message(QMessageBox::Question, QStringLiteral("?"), QStringLiteral("?"), QMessageBox::Cancel);
        shown.messageBoxCancel = message.button(QMessageBox::Cancel)->text();
        shown.sweepAxis = window.sweepPanel()->plot()->plot()->xAxis->label();
        shown.lossAxis = window.routingPanel()->lossPlot()->plot()->xAxis->label();
        for (const QToolButton *button : window.sweepPanel()->findChildren<QToolButton *>()) {
            if (button->text() == PlotWidget::tr("Export image…"))
                shown.exportImageButton = true;
        }
        return shown;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("WEMoE-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_language_switch"));
        QSettings().clear();
        setLanguageSetting(QStringLiteral("en"));
        QCOMPARE(installStudioTranslator(*qApp), QStringLiteral("en"));
        m_zh = loadStudioTranslator(QStringLiteral("zh_CN"), this);
        QVERIFY(m_zh);
        m_qtZh = loadQtTranslator(QStringLiteral("zh_CN"), this);
        QVERIFY2(m_qtZh, "qtbase_zh_CN.qm not found: install qt6-translations-l10n (packaging/install-deps.sh)");
    }

    void cleanup() { LanguageSwitcher::of(*qApp)->switchTo(QStringLiteral("en")); }

    void everyPartFollowsWithoutRestart()
    {
        MainWindow window;
        window.setInteractive(false);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Qt's own widgets in their own window, open while the language switches.
        QDialogButtonBox box(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        const MethodDescription &method = translatedMethod();

        const Shown english = read(window, box, method);
        QCOMPARE(english.fileMenu, QStringLiteral("&File"));
        QCOMPARE(english.firstTab, QStringLiteral("Accuracy"));
        QCOMPARE(english.methodsDock, QStringLiteral("Methods"));
        QCOMPARE(english.averageHeader, QStringLiteral("Average\n(%)"));
        QCOMPARE(english.stateHeader, QStringLiteral("State"));
        QCOMPARE(english.firstGroup, QStringLiteral("Merges"));
        QCOMPARE(english.methodTitle, QString::fromUtf8(method.title));
        QCOMPARE(english.openButton, QStringLiteral("Open a pool or session…"));
        QCOMPARE(english.statusLine, QStringLiteral("Ready"));
        QCOMPARE(english.qtCancel, QStringLiteral("Cancel"));
        QCOMPARE(english.messageBoxCancel, QStringLiteral("Cancel"));
        QCOMPARE(english.sweepAxis, QStringLiteral("scaling factor λ"));
        QCOMPARE(english.lossAxis, QStringLiteral("step"));
        QVERIFY(english.exportImageButton);

        // The scroll position of the methods panel stays where the user left it.
        QScrollBar *methodsScroll = window.methodsPanel()->findChild<QScrollArea *>()->verticalScrollBar();
        // A quarter down: the Chinese panel is shorter (its lines wrap less), and
        // a position past its end could not be kept.
        const int scrolled = methodsScroll->maximum() / 4;
        methodsScroll->setValue(scrolled);
        QSignalSpy headerChanged(window.evaluation()->tableModel(), &QAbstractItemModel::headerDataChanged);

        // The same call the Language menu makes: no restart, no waiting.
        window.setLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(languageSetting(), QStringLiteral("zh_CN"));
        QCOMPARE(LanguageSwitcher::of(*qApp)->language(), QStringLiteral("zh_CN"));
        const Shown chinese = read(window, box, method);
        QCOMPARE(chinese.fileMenu, zh(kWindow, "&File"));
        QVERIFY(chinese.fileMenu != english.fileMenu);
        QCOMPARE(chinese.firstTab, zh(kWindow, "Accuracy"));
        QCOMPARE(window.tabs()->tabText(1), zh(kWindow, "λ sweep"));
        QCOMPARE(chinese.methodsDock, zh(kWindow, "Methods"));
        QVERIFY(chinese.methodsDock != english.methodsDock);
        QCOMPARE(chinese.averageHeader,
                 zh("wemoe::ui::AccuracyTableModel", "%1\n(%)").arg(zh("wemoe::ui::AccuracyTableModel", "Average")));
        QVERIFY(chinese.averageHeader.startsWith(QStringLiteral("平均"))); // as test_translations pins it
        QVERIFY(!headerChanged.isEmpty());                                 // the table's view was told
        QCOMPARE(chinese.stateHeader, zh("wemoe::ui::JobListModel", "State"));
        QCOMPARE(chinese.firstGroup, zh("wemoe::ui::MethodsPanel", "Merges"));
        QVERIFY(chinese.firstGroup != english.firstGroup);
        QCOMPARE(chinese.methodTitle, zh("wemoe::MethodCatalogue", method.title));
        QVERIFY(chinese.methodTitle != english.methodTitle);
        QCOMPARE(chinese.openButton, zh("wemoe::ui::StartPage", "Open a pool or session…"));
        QCOMPARE(
            chinese.quickDemoButton,
            zh("wemoe::ui::StartPage", "Open the demo (quick zoo, %1)").arg(DemoZooEstimate::current(true).brief()));
        QCOMPARE(chinese.statusLine, zh("wemoe::ui::JobStatusBar", "Ready"));
        QCOMPARE(chinese.workspaceHeader,
                 zh("wemoe::ui::WorkspacePanel", "No pool open. Open a pool file (Ctrl+O) or drop one on the window."));
        QCOMPARE(chinese.qtCancel, m_qtZh->translate("QPlatformTheme", "Cancel"));
        QCOMPARE(chinese.qtCancel, QStringLiteral("取消")); // as test_translations pins it
        QCOMPARE(chinese.messageBoxCancel, QStringLiteral("取消"));
        QCOMPARE(chinese.sweepAxis, zh("wemoe::ui::SweepPlot", "scaling factor λ"));
        QCOMPARE(chinese.lossAxis, zh("wemoe::ui::LossCurvePlot", "step"));
        QVERIFY(chinese.lossAxis != english.lossAxis);
        QVERIFY(chinese.exportImageButton); // PlotWidget::tr now says it in Chinese
        QCOMPARE(methodsScroll, window.methodsPanel()->findChild<QScrollArea *>()->verticalScrollBar());
        QCOMPARE(methodsScroll->value(), scrolled);
        // The menu's check mark follows; nothing says "after a restart".
        for (QAction *action : window.menuBar()->actions().value(3)->menu()->actions())
            QCOMPARE(action->isChecked(), action->data().toString() == QLatin1String("zh_CN"));
        QVERIFY(!window.logPanel()->plainText().contains(QLatin1String("next time")));

        const QString screenshot = qEnvironmentVariable("WEMOE_LANGUAGE_SCREENSHOT");
        if (!screenshot.isEmpty()) {
            window.resize(1280, 800);
            QVERIFY(window.grab().save(screenshot));
            window.showPage(window.accuracyPanel());
            QVERIFY(window.grab().save(QString(screenshot).replace(QLatin1String(".png"), QLatin1String("-tabs.png"))));
        }

        // And back, again without a restart.
        window.setLanguage(QStringLiteral("en"));
        QCOMPARE(languageSetting(), QStringLiteral("en"));
        const Shown back = read(window, box, method);
        QCOMPARE(back.fileMenu, english.fileMenu);
        QCOMPARE(back.firstTab, english.firstTab);
        QCOMPARE(back.methodsDock, english.methodsDock);
        QCOMPARE(back.averageHeader, english.averageHeader);
        QCOMPARE(back.stateHeader, english.stateHeader);
        QCOMPARE(back.firstGroup, english.firstGroup);
        QCOMPARE(back.methodTitle, english.methodTitle);
        QCOMPARE(back.openButton, english.openButton);
        QCOMPARE(back.quickDemoButton, english.quickDemoButton);
        QCOMPARE(back.statusLine, english.statusLine);
        QCOMPARE(back.workspaceHeader, english.workspaceHeader);
        QCOMPARE(back.qtCancel, english.qtCancel);
        QCOMPARE(back.messageBoxCancel, english.messageBoxCancel);
        QCOMPARE(back.sweepAxis, english.sweepAxis);
        QCOMPARE(back.lossAxis, english.lossAxis);
        QVERIFY(back.exportImageButton);
        for (QAction *action : window.menuBar()->actions().value(3)->menu()->actions())
            QCOMPARE(action->isChecked(), action->data().toString() == QLatin1String("en"));
    }

    void methodSettingsSurviveTheSwitch()
    {
        MainWindow window;
        window.setInteractive(false);
        MethodsPanel *panel = window.methodsPanel();
        MethodSettings expected = panel->settings();
        MethodCall taskArithmetic = expected.call(QStringLiteral("task_arithmetic"));
        taskArithmetic.set(QStringLiteral("lambda"), 0.45);
        expected.setCall(taskArithmetic);
        expected.setEnabled(QStringLiteral("ties"), !expected.isEnabled(QStringLiteral("ties")));
        expected.sweepStep = 0.05;
        expected.threads = 3;
        expected.maxTestImagesPerTask = 17;
        panel->setSettings(expected);
        // And one change by hand, as a click makes it.
        QCheckBox *taskVectors = nullptr;
        for (QCheckBox *box : panel->findChildren<QCheckBox *>()) {
            if (box->text() == MethodsPanel::tr("Task-vector similarity"))
                taskVectors = box;
        }
        QVERIFY(taskVectors);
        QSignalSpy changed(panel, &MethodsPanel::settingsChanged);
        taskVectors->click();
        QCOMPARE(changed.size(), 1);
        expected.taskVectorAnalysis = !expected.taskVectorAnalysis;
        QCOMPARE(panel->settings().toJson(), expected.toJson());

        const QStringList englishChecks = texts(panel->findChildren<QCheckBox *>());
        window.setLanguage(QStringLiteral("zh_CN"));
        QVERIFY(texts(panel->findChildren<QCheckBox *>()) != englishChecks); // made again, in Chinese
        QCOMPARE(panel->settings().toJson(), expected.toJson());
        QCOMPARE(changed.size(), 1); // switching is not a change of the settings
        window.setLanguage(QStringLiteral("en"));
        QCOMPARE(texts(panel->findChildren<QCheckBox *>()), englishChecks);
        QCOMPARE(panel->settings().toJson(), expected.toJson());
    }

    // The pool's tree is drawn again from what the panel was last given: the
    // pool, a model dropped for inspection, and the load running now.
    void workspaceIsDrawnAgainFromItsLastInfo()
    {
        WorkspacePanel panel;
        WorkspaceInfo info;
        info.poolPath = QStringLiteral("/pools/ta2/pool.json");
        info.poolName = QStringLiteral("ta2");
        info.pretrained.name = QStringLiteral("pretrained");
        for (const char *name : {"mnist", "svhn"}) {
            TaskInfo task;
            task.name = QLatin1String(name);
            task.classes = 10;
            task.testImages = 20;
            info.tasks << task;
        }
        panel.setInfo(info);
        CheckpointInfo dropped;
        dropped.name = QStringLiteral("my-model");
        panel.addInspected(dropped);
        panel.setLoading(QStringLiteral("/pools/ta8/pool.json"));
        const auto rootNames = [&panel] {
            QStringList names;
            for (int i = 0; i < panel.tree()->topLevelItemCount(); ++i)
                names << panel.tree()->topLevelItem(i)->text(0);
            return names;
        };
        const QString tasks = QStringLiteral("tasks");
        QCOMPARE(rootNames(), (QStringList{QStringLiteral("ta2"), QStringLiteral("inspected models")}));
        QCOMPARE(panel.tree()->topLevelItem(0)->child(1)->text(0), tasks);
        const QString loading = panel.headerText();

        LanguageSwitcher::of(*qApp)->switchTo(QStringLiteral("zh_CN"));
        const char *const context = "wemoe::ui::WorkspacePanel";
        QCOMPARE(rootNames(), (QStringList{QStringLiteral("ta2"), zh(context, "inspected models")}));
        QCOMPARE(panel.tree()->topLevelItem(0)->child(1)->text(0), zh(context, "tasks"));
        QVERIFY(zh(context, "tasks") != tasks);
        QCOMPARE(panel.tree()->headerItem()->text(0), zh(context, "Item"));
        QCOMPARE(panel.headerText(), zh(context, "Loading %1 …").arg(QStringLiteral("/pools/ta8/pool.json")));

        LanguageSwitcher::of(*qApp)->switchTo(QStringLiteral("en"));
        QCOMPARE(rootNames(), (QStringList{QStringLiteral("ta2"), QStringLiteral("inspected models")}));
        QCOMPARE(panel.headerText(), loading);
    }
};

QTEST_MAIN(TestLanguageSwitch)
#include "test_language_switch.moc"
