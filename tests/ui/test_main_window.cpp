// The window as a user drives it: drop a pool folder, run, see the table,
// remember the pool; closing during a job cancels it and closes once idle.

#include "controllers/evaluation_controller.h"
#include "controllers/workspace_controller.h"
#include "demo/synthetic_pool.h"
#include "main_window.h"
#include "models/accuracy_table_model.h"
#include "panels/methods_panel.h"
#include "queue/job_queue.h"

#include <QtCore/QMimeData>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QUrl>
#include <QtGui/QDropEvent>
#include <QtTest/QtTest>
#include <QtWidgets/QApplication>

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
        MethodSettings settings = window.methodsPanel()->settings();
        for (const char *method : {"simple_average", "ties", "dare"})
            settings.setEnabled(QLatin1String(method), false);
        settings.sweep = false;
        settings.taskVectorAnalysis = false;
        settings.threads = 2;
        window.methodsPanel()->setSettings(settings);

        drop(&window, m_poolFolder);
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->hasPool(), kTimeoutMs);
        QCOMPARE(window.workspace()->taskNames().size(), 3);
        QVERIFY(window.recentPools().contains(QDir(m_poolFolder).filePath(QStringLiteral("pool.json"))));
        QVERIFY(window.windowTitle().contains(QStringLiteral("synthetic")));

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
