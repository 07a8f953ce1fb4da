// The way in (issue 16): the start page stands where the results go until a
// pool opens; File ▸ Open recent and the start page list the pools and
// sessions opened or saved, across restarts; a session opens as a session
// whatever its name; a cancelled load leaves no "Loading …"; the demo entries
// quote a build time measured on this machine once there is one.

#include "controllers/demo_zoo_estimate.h"
#include "controllers/workspace_controller.h"
#include "demo/synthetic_pool.h"
#include "main_window.h"
#include "panels/workspace_panel.h"
#include "queue/job_queue.h"
#include "window/start_page.h"
#include "window/studio_session.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtTest/QtTest>
#include <QtWidgets/QCommandLinkButton>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenu>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTabWidget>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

constexpr int kTimeoutMs = 120000;

QStringList menuEntries(QMenu *menu)
{
    QStringList entries;
    for (QAction *action : menu->actions())
        entries << action->text();
    return entries;
}

bool anyEntryNames(const QStringList &entries, const QString &path)
{
    for (const QString &entry : entries) {
        if (entry.contains(QDir::toNativeSeparators(path)))
            return true;
    }
    return false;
}

QAction *actionNamed(MainWindow &window, const QString &start)
{
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->text().startsWith(start))
            return action;
    }
    return nullptr;
}

} // namespace

class TestStartPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_poolFolder;
    QString m_poolFile;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the zoo cache and autosave in the test folders
        QCoreApplication::setOrganizationName(QStringLiteral("WEMoE-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_start_page"));
        QSettings().clear();
        QFile::remove(StudioSession::autosaveFile());
        QVERIFY(m_dir.isValid());
        m_poolFolder = m_dir.filePath(QStringLiteral("pool"));
        writeSyntheticPool(m_poolFolder, SyntheticPoolOptions());
        m_poolFile = QDir(m_poolFolder).filePath(QStringLiteral("pool.json"));
    }

    void cleanupTestCase() { QSettings().clear(); }

    // The first window offers the ways in; the results take its place once a pool is open.
    void startPageUntilAPoolOpens()
    {
        MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.showsStartPage());
        QVERIFY(window.startPage()->isVisible());
        QVERIFY(!window.tabs()->isVisible());
        QVERIFY(window.startPage()->quickDemoButton()->text().contains(QStringLiteral("quick")));
        QVERIFY(window.startPage()->fullDemoButton()->isEnabled());
        QVERIFY(window.startPage()->shownPools().isEmpty());

        window.openPath(m_poolFolder);
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->hasPool(), kTimeoutMs);
        QVERIFY(!window.showsStartPage());
        QVERIFY(window.tabs()->isVisible());
        QVERIFY(!window.startPage()->isVisible());
    }

    // Opened pools and saved sessions fill File ▸ Open recent and the start
    // page, newest first, and are there again in the next window (settings).
    void recentPoolsAndSessionsSurviveARestart()
    {
        const QString sessionFile = m_dir.filePath(QStringLiteral("run.wemoe-session.json"));
        {
            MainWindow window;
            window.setInteractive(false);
            QVERIFY(window.recentPools().contains(m_poolFile)); // opened by the test before
            QVERIFY(window.startPage()->shownPools().contains(m_poolFile));
            QVERIFY(window.recentMenu()->isEnabled());
            QVERIFY(anyEntryNames(menuEntries(window.recentMenu()), m_poolFile));

            window.openPool(m_poolFolder);
            QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->hasPool(), kTimeoutMs);
            window.saveSession(sessionFile);
            QCOMPARE(window.recentSessions(), QStringList{sessionFile});
            QVERIFY(anyEntryNames(menuEntries(window.recentMenu()), sessionFile));
            QVERIFY(!window.recentPools().contains(sessionFile)); // told apart
            QTRY_VERIFY_WITH_TIMEOUT(!window.jobQueue()->isBusy(), kTimeoutMs);
        }
        MainWindow next;
        next.setInteractive(false);
        QVERIFY(next.showsStartPage());
        QCOMPARE(next.recentSessions(), QStringList{sessionFile});
        QVERIFY(next.recentPools().contains(m_poolFile));
        QCOMPARE(next.startPage()->shownSessions(), QStringList{sessionFile});
        QVERIFY(next.startPage()->shownPools().contains(m_poolFile));
        const QStringList entries = menuEntries(next.recentMenu());
        QVERIFY(entries.first().contains(QDir::toNativeSeparators(sessionFile))); // newest first
        QVERIFY(anyEntryNames(entries, m_poolFile));

        // A recent session's link opens it as a session, and the results replace the start page.
        Q_EMIT next.startPage()->recentSessionsLabel()->linkActivated(QUrl::fromLocalFile(sessionFile).toString());
        QCOMPARE(next.session()->file(), sessionFile);
        QVERIFY(!next.showsStartPage());
        QTRY_VERIFY_WITH_TIMEOUT(next.workspace()->hasPool(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!next.jobQueue()->isBusy(), kTimeoutMs);
    }

    // A session saved under any name opens as a session: the file says what it is.
    void openPathTellsASessionByItsContent()
    {
        const QString plain = m_dir.filePath(QStringLiteral("plain.json"));
        {
            MainWindow window;
            window.setInteractive(false);
            window.openPool(m_poolFolder);
            QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->hasPool(), kTimeoutMs);
            window.saveSession(plain);
            QTRY_VERIFY_WITH_TIMEOUT(!window.jobQueue()->isBusy(), kTimeoutMs);
        }
        MainWindow window;
        window.setInteractive(false);
        window.openPath(plain);
        QCOMPARE(window.session()->file(), plain);
        QVERIFY(!window.showsStartPage());
        QCOMPARE(window.recentSessions().first(), plain);
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->hasPool(), kTimeoutMs); // the session's pool follows
        QTRY_VERIFY_WITH_TIMEOUT(!window.jobQueue()->isBusy(), kTimeoutMs);
    }

    // Cancelled before it ran, or failed: the workspace and the start page say so, not "Loading …".
    void cancelledLoadsLeaveNoLoading()
    {
        MainWindow window;
        window.setInteractive(false);
        WorkspacePanel *panel = window.findChild<WorkspacePanel *>();
        QVERIFY(panel);

        window.openPool(m_poolFolder);
        QVERIFY(panel->headerText().startsWith(QStringLiteral("Loading")));
        window.jobQueue()->cancelAll(); // still queued: it never starts
        QVERIFY(!window.workspace()->isLoading());
        QVERIFY2(!panel->headerText().contains(QStringLiteral("Loading")), qPrintable(panel->headerText()));
        QVERIFY(panel->noteText().contains(QStringLiteral("cancelled")));
        QVERIFY(window.startPage()->statusText().contains(QStringLiteral("cancelled")));
        QVERIFY(window.showsStartPage());

        // The demo zoo's preparation, cancelled: nothing is built, the buttons come back.
        window.openDemoPool(true);
        QVERIFY(!window.startPage()->quickDemoButton()->isEnabled());
        QVERIFY(panel->headerText().startsWith(QStringLiteral("Loading")));
        window.jobQueue()->cancelAll();
        QVERIFY(!window.workspace()->isLoading());
        QVERIFY(!panel->headerText().contains(QStringLiteral("Loading")));
        QVERIFY(panel->noteText().contains(QStringLiteral("demo zoo")));
        QVERIFY(window.startPage()->quickDemoButton()->isEnabled());

        // A load that fails says so too.
        window.openPool(m_dir.filePath(QStringLiteral("missing.json")));
        QTRY_VERIFY_WITH_TIMEOUT(!window.workspace()->isLoading(), kTimeoutMs);
        QVERIFY(!panel->headerText().contains(QStringLiteral("Loading")));
        QVERIFY2(panel->noteText().contains(QStringLiteral("could not be opened")), qPrintable(panel->noteText()));

        // A good pool afterwards clears the note.
        window.openPool(m_poolFolder);
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->hasPool(), kTimeoutMs);
        QVERIFY(panel->noteText().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!window.jobQueue()->isBusy(), kTimeoutMs);
    }

    // Before a build the estimate is the docs' measurement; after one, this machine's.
    void estimatesQuoteTheLastBuildHere()
    {
        if (isDemoZooCached(true) || isDemoZooCached(false))
            QSKIP("a demo zoo is in the test cache: the estimate says \"ready\"");
        QSettings().remove(QStringLiteral("zoo/buildSeconds"));
        QCOMPARE(DemoZooEstimate::current(true).source, DemoZooEstimate::Source::Measured);
        QVERIFY(DemoZooEstimate::current(true).text().contains(QStringLiteral("as measured")));
        QVERIFY(DemoZooEstimate::current(false).seconds > 60);

        recordDemoZooBuild(true, 300.0);
        recordDemoZooBuild(false, 13 * 60.0);
        const DemoZooEstimate quick = DemoZooEstimate::current(true);
        QCOMPARE(quick.source, DemoZooEstimate::Source::ThisMachine);
        QVERIFY2(quick.text().contains(QStringLiteral("5 min")), qPrintable(quick.text()));
        QVERIFY(quick.text().contains(QStringLiteral("this machine")));

        // The start page and the File menu quote the same figure.
        MainWindow window;
        window.setInteractive(false);
        QVERIFY2(window.startPage()->quickDemoButton()->text().contains(QStringLiteral("5 min")),
                 qPrintable(window.startPage()->quickDemoButton()->text()));
        QVERIFY(window.startPage()->quickDemoButton()->description().contains(quick.text()));
        QVERIFY(window.startPage()->fullDemoButton()->text().contains(QStringLiteral("13 min")));
        QAction *quickEntry = actionNamed(window, QStringLiteral("Open the &quick demo"));
        QAction *fullEntry = actionNamed(window, QStringLiteral("Open the &full demo"));
        QVERIFY(quickEntry && fullEntry);
        QVERIFY2(quickEntry->text().contains(QStringLiteral("5 min")), qPrintable(quickEntry->text()));
        QVERIFY(quickEntry->toolTip().contains(quick.text()));
        QVERIFY(fullEntry->text().contains(QStringLiteral("13 min")));
        QSettings().remove(QStringLiteral("zoo/buildSeconds"));
    }

    // Nothing is cut off or needs sideways scrolling on a small laptop screen or a large one.
    // WEMOE_START_PAGE_GRABS=DIR saves what it looks like.
    void fitsSmallAndLargeWindows()
    {
        for (const QSize size : {QSize(1024, 700), QSize(1600, 1000)}) {
            MainWindow window;
            window.setInteractive(false);
            window.resize(size);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QTest::qWait(100); // the docks take their first sizes after the first show
            StartPage *page = window.startPage();
            const auto *scroll = page->findChild<QScrollArea *>();
            QVERIFY(scroll);
            QVERIFY(!scroll->horizontalScrollBar()->isVisible());
            for (QCommandLinkButton *button :
                 {page->quickDemoButton(), page->fullDemoButton(), page->openButton(), page->importButton()}) {
                QVERIFY(button->isVisible());
                QVERIFY(button->width() >= button->minimumSizeHint().width());
            }
            const QString folder = qEnvironmentVariable("WEMOE_START_PAGE_GRABS");
            if (!folder.isEmpty())
                QVERIFY(window.grab().save(QDir(folder).filePath(
                    QStringLiteral("start-page-%1x%2.png").arg(size.width()).arg(size.height()))));
        }
    }
};

QTEST_MAIN(TestStartPage)
#include "test_start_page.moc"
