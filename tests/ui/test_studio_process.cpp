// The studio as a process: started on a pool with --run, killed (SIGKILL,
// no chance to save) once a result has finished, started again — the next
// start finds the autosave the killed one left and restores its results.

#include "common/error.h"
#include "controllers/evaluation_controller.h"
#include "controllers/workspace_controller.h"
#include "demo/synthetic_pool.h"
#include "main_window.h"
#include "models/accuracy_table_model.h"
#include "models/session_data.h"
#include "queue/job_queue.h"
#include "window/studio_session.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

constexpr int kTimeoutMs = 180000;

// The studio's own names: the restarted window looks where the killed process wrote.
void actAsTheStudio(const QString &home)
{
    for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        qputenv(variable, QDir(home).filePath(QLatin1String(variable)).toUtf8());
    QStandardPaths::setTestModeEnabled(false);
    QCoreApplication::setOrganizationName(QStringLiteral("WEMoE"));
    QCoreApplication::setApplicationName(QStringLiteral("wemoe-studio"));
}

// Rows of the accuracy table in an autosave; 0 while there is none (it is
// replaced atomically, so a read never sees half a file).
int autosavedRows(const QString &file)
{
    if (!QFileInfo::exists(file))
        return 0;
    try {
        return SessionData::load(file).table.rows().size();
    } catch (const Error &) {
        return 0;
    }
}

} // namespace

class TestStudioProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void autosaveRestoresAfterTheProcessIsKilled()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString pool = dir.filePath(QStringLiteral("pool"));
        writeSyntheticPool(pool, SyntheticPoolOptions());
        const QString home = dir.filePath(QStringLiteral("home"));
        actAsTheStudio(home);
        const QString autosave = StudioSession::autosaveFile();
        QVERIFY2(autosave.startsWith(home), qPrintable(autosave));
        QVERIFY(!QFileInfo::exists(autosave));

        QProcess studio;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
            environment.insert(QLatin1String(variable), QString::fromUtf8(qgetenv(variable)));
        studio.setProcessEnvironment(environment);
        studio.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        studio.start(QStringLiteral(WEMOE_STUDIO), {QStringLiteral("--run"), pool});
        QVERIFY(studio.waitForStarted(60000));
        // Every finished result is autosaved (the task-vector similarity may come
        // first); once a table row is on disk, the process dies without warning.
        QTRY_VERIFY_WITH_TIMEOUT(autosavedRows(autosave) > 0 || studio.state() == QProcess::NotRunning, kTimeoutMs);
        const int rowsOnDisk = autosavedRows(autosave);
        QCOMPARE(studio.state(), QProcess::Running);
        studio.kill();
        QVERIFY(studio.waitForFinished(60000));
        QCOMPARE(studio.exitStatus(), QProcess::CrashExit);
        QVERIFY(QFileInfo::exists(autosave));

        // The next start: asked, the user restores.
        MainWindow next;
        bool asked = false;
        next.setRestoreAutosaveAnswer([&asked] {
            asked = true;
            return true;
        });
        next.offerAutosave();
        QVERIFY(asked);
        QVERIFY(next.session()->isDirty()); // restored results are not saved anywhere yet
        const AccuracyTableModel *table = next.evaluation()->tableModel();
        QVERIFY(table->rowCount() >= rowsOnDisk);
        for (int r = 0; r < table->rowCount(); ++r) {
            for (int task = 0; task < table->table().tasks().size(); ++task) {
                const double accuracy = table->value(r, AccuracyTableModel::FirstTaskColumn + task);
                QVERIFY(std::isnan(accuracy) || (accuracy >= 0.0 && accuracy <= 1.0));
            }
        }
        QCOMPARE(table->table().tasks(), (QStringList{"alpha", "beta", "gamma"}));
        // Its pool opens again, as a reopened session's does.
        QTRY_VERIFY_WITH_TIMEOUT(next.workspace()->hasPool(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!next.jobQueue()->isBusy(), kTimeoutMs);
        next.setUnsavedResultsAnswer([] { return MainWindow::UnsavedChoice::Discard; });
        QVERIFY(next.close());
        QVERIFY(!QFileInfo::exists(autosave)); // discarded on purpose: not offered again
    }
};

QTEST_MAIN(TestStudioProcess)
#include "test_studio_process.moc"
