// The window as a user drives it: drop a pool folder, run, see the table,
// remember the pool; closing during a job cancels it and closes once idle.

#include "controllers/evaluation_controller.h"
#include "controllers/workspace_controller.h"
#include "demo/synthetic_pool.h"
#include "main_window.h"
#include "models/accuracy_table_model.h"
#include "panels/methods_panel.h"
#include "queue/job_queue.h"
#include "window/studio_session.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QMimeData>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QUrl>
#include <QtGui/QDropEvent>
#include <QtTest/QtTest>
#include <QtWidgets/QAbstractSpinBox>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QScrollArea>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

constexpr int kTimeoutMs = 120000;

void drop(QWidget *target, const QString &path)
{
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &dropEvent);
}

// Run only pretrained, individual and task arithmetic, on two threads: a quick table.
void onlyQuickMethods(MainWindow &window)
{
    MethodSettings settings = window.methodsPanel()->settings();
    for (const char *method : {"simple_average", "ties", "dare"})
        settings.setEnabled(QLatin1String(method), false);
    settings.sweep = false;
    settings.taskVectorAnalysis = false;
    settings.threads = 2;
    window.methodsPanel()->setSettings(settings);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_poolFolder;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("WEMoE-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_main_window"));
        QVERIFY(m_dir.isValid());
        m_poolFolder = m_dir.filePath(QStringLiteral("pool"));
        writeSyntheticPool(m_poolFolder, SyntheticPoolOptions());
    }

    void dropRunAndRemember()
    {
        MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        onlyQuickMethods(window);

        drop(&window, m_poolFolder);
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->hasPool(), kTimeoutMs);
        QCOMPARE(window.workspace()->taskNames().size(), 3);
        QVERIFY(window.recentPools().contains(QDir(m_poolFolder).filePath(QStringLiteral("pool.json"))));
        QVERIFY(window.windowTitle().contains(QStringLiteral("synthetic")));
        // Qt adds " — WEMoE Studio" (the display name) itself: the title must not say it again.
        QVERIFY2(!window.windowTitle().contains(QStringLiteral("WEMoE Studio")), qPrintable(window.windowTitle()));

        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_F5); // Run
        QTRY_VERIFY_WITH_TIMEOUT(window.jobQueue()->isBusy(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!window.jobQueue()->isBusy(), kTimeoutMs);
        const AccuracyTableModel *model = window.evaluation()->tableModel();
        QCOMPARE(model->rowCount(), 3); // pretrained, individual, task arithmetic
        QCOMPARE(model->index(1, 0).data().toString(), QStringLiteral("individual"));
        QCOMPARE(model->index(1, model->averageColumn()).data().toString(), QStringLiteral("100.0"));
    }

    // Esc in a number field belongs to the field; elsewhere it cancels.
    void escapeInAFieldDoesNotCancel()
    {
        MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        Job *job = window.jobQueue()->enqueue(QStringLiteral("long"), [](const JobContext &context) {
            for (;;) {
                context.throwIfCancelled();
                QThread::yieldCurrentThread();
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Running, kTimeoutMs);
        auto *spin = window.methodsPanel()->findChild<QDoubleSpinBox *>();
        QVERIFY(spin);
        spin->setFocus();
        QTRY_VERIFY(spin->hasFocus());
        QTest::keyClicks(spin, QStringLiteral("5"));
        QTest::keyClick(spin, Qt::Key_Escape);
        QTest::qWait(50);
        QVERIFY(!job->isCancelRequested());
        window.centralWidget()->setFocus();
        QTest::keyClick(window.centralWidget(), Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(job->isCancelRequested(), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Cancelled, kTimeoutMs);
    }

    // The wheel over a number box the user has not clicked scrolls the panel,
    // not the value; once focused, the wheel edits it.
    void wheelOverAnUnfocusedBoxLeavesItsValue()
    {
        MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QList<QAbstractSpinBox *> boxes = window.methodsPanel()->findChildren<QAbstractSpinBox *>();
        QVERIFY(!boxes.isEmpty());
        for (QAbstractSpinBox *box : boxes) {
            box->clearFocus();
            const QString before = box->text();
            const QPoint centre = box->rect().center();
            QWheelEvent wheel(centre, box->mapToGlobal(centre), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            QApplication::sendEvent(box, &wheel);
            QCOMPARE(box->text(), before);
        }
        auto *spin = window.methodsPanel()->findChild<QDoubleSpinBox *>();
        spin->setValue(spin->minimum() + (spin->maximum() - spin->minimum()) / 2);
        const double before = spin->value();
        spin->setFocus();
        QTRY_VERIFY(spin->hasFocus());
        const QPoint centre = spin->rect().center();
        QWheelEvent wheel(centre, spin->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(spin, &wheel);
        QVERIFY(spin->value() != before);
    }

    // --help and --version need no display: no DISPLAY, no QT_QPA_PLATFORM.
    void helpRunsWithoutADisplay()
    {
        for (const char *option : {"--help", "--version"}) {
            QProcess studio;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
                environment.remove(QLatin1String(name));
            studio.setProcessEnvironment(environment);
            studio.start(QStringLiteral(WEMOE_STUDIO), {QLatin1String(option)});
            QVERIFY(studio.waitForFinished(60000));
            QCOMPARE(studio.exitStatus(), QProcess::NormalExit);
            QCOMPARE(studio.exitCode(), 0);
            QVERIFY2(studio.readAllStandardOutput().contains("wemoe-studio"), option);
        }
    }

    // Results finished since the last save: the title says so, quitting asks,
    // Save writes a session that reopens with the same table, and every
    // finished result is autosaved until then (what a crash would leave).
    void quittingWithUnsavedResultsAsks()
    {
        QFile::remove(StudioSession::autosaveFile());
        const QString sessionFile = m_dir.filePath(QStringLiteral("kept.wemoe-session.json"));
        QStringList rows;
        {
            MainWindow window;
            window.setInteractive(false);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.openPool(m_poolFolder);
            QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->hasPool(), kTimeoutMs);
            QVERIFY(!window.isWindowModified());
            window.session()->save(sessionFile); // where Save will write
            onlyQuickMethods(window);
            window.runConfigured();
            QTRY_VERIFY_WITH_TIMEOUT(!window.jobQueue()->isBusy(), kTimeoutMs);
            QVERIFY(window.session()->isDirty());
            QVERIFY(window.isWindowModified()); // the title's "*"
            QVERIFY(QFileInfo::exists(StudioSession::autosaveFile()));
            const AccuracyTableModel *model = window.evaluation()->tableModel();
            for (int r = 0; r < model->rowCount(); ++r)
                rows << model->index(r, 0).data().toString() + QLatin1Char('=')
                            + model->index(r, model->averageColumn()).data().toString();
            QVERIFY(rows.size() >= 2);

            // Opening another session asks too; Cancel keeps these results.
            int asked = 0;
            window.setUnsavedResultsAnswer([&asked] {
                ++asked;
                return MainWindow::UnsavedChoice::Cancel;
            });
            window.openPath(sessionFile);
            QCOMPARE(asked, 1);
            QCOMPARE(window.evaluation()->tableModel()->rowCount(), rows.size());
            asked = 0;

            // Cancel keeps the window; Save writes and closes; the autosave goes.
            window.setUnsavedResultsAnswer([&asked] {
                ++asked;
                return MainWindow::UnsavedChoice::Cancel;
            });
            QVERIFY(!window.close());
            QCOMPARE(asked, 1);
            window.setUnsavedResultsAnswer([&asked] {
                ++asked;
                return MainWindow::UnsavedChoice::Save;
            });
            QVERIFY(window.close());
            QCOMPARE(asked, 2);
            QVERIFY(!window.session()->isDirty());
            QVERIFY(!QFileInfo::exists(StudioSession::autosaveFile()));
        }
        MainWindow reopened;
        reopened.setInteractive(false);
        reopened.openPath(sessionFile);
        const AccuracyTableModel *model = reopened.evaluation()->tableModel();
        QStringList again;
        for (int r = 0; r < model->rowCount(); ++r)
            again << model->index(r, 0).data().toString() + QLatin1Char('=')
                         + model->index(r, model->averageColumn()).data().toString();
        QCOMPARE(again, rows);
        QVERIFY(!reopened.session()->isDirty());
        reopened.close();
    }

    // The autosave a killed run leaves holds its results and restores as an unsaved session.
    void autosaveRestoresAfterACrash()
    {
        QFile::remove(StudioSession::autosaveFile());
        QStringList rows;
        auto *crashed = new MainWindow; // never closed: the process "dies" with it
        crashed->setInteractive(false);
        crashed->openPool(m_poolFolder);
        QTRY_VERIFY_WITH_TIMEOUT(crashed->workspace()->hasPool(), kTimeoutMs);
        onlyQuickMethods(*crashed);
        crashed->runConfigured();
        QTRY_VERIFY_WITH_TIMEOUT(!crashed->jobQueue()->isBusy(), kTimeoutMs);
        const AccuracyTableModel *model = crashed->evaluation()->tableModel();
        for (int r = 0; r < model->rowCount(); ++r)
            rows << model->index(r, 0).data().toString();
        QVERIFY(QFileInfo::exists(StudioSession::autosaveFile()));
        crashed->setUnsavedResultsAnswer([] { return MainWindow::UnsavedChoice::Cancel; });
        crashed->hide();

        MainWindow next;
        next.setInteractive(false);
        next.session()->openAutosave();
        QVERIFY(next.session()->isDirty());
        QVERIFY(next.session()->file().isEmpty()); // Save asks where; the autosave is not the user's file
        QStringList restored;
        for (int r = 0; r < next.evaluation()->tableModel()->rowCount(); ++r)
            restored << next.evaluation()->tableModel()->index(r, 0).data().toString();
        QCOMPARE(restored, rows);
        // Its pool opens again, as a reopened session's does.
        QTRY_VERIFY_WITH_TIMEOUT(next.workspace()->hasPool(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!next.jobQueue()->isBusy(), kTimeoutMs);
        next.setUnsavedResultsAnswer([] { return MainWindow::UnsavedChoice::Discard; });
        QVERIFY(next.close());
        QVERIFY(!QFileInfo::exists(StudioSession::autosaveFile()));
        crashed->setUnsavedResultsAnswer([] { return MainWindow::UnsavedChoice::Discard; });
        delete crashed;
    }

    void closeDuringAJobCancelsThenCloses()
    {
        MainWindow window;
        window.setInteractive(false); // "yes, cancel and quit"
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Job *job = window.jobQueue()->enqueue(QStringLiteral("long"), [](const JobContext &context) {
            for (;;) {
                context.throwIfCancelled();
                QThread::yieldCurrentThread();
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Running, kTimeoutMs);
        QVERIFY(!window.close()); // refused for now: the job is asked to stop
        QVERIFY(window.isVisible());
        QVERIFY(job->isCancelRequested());
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Cancelled, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeoutMs); // closed once idle
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
