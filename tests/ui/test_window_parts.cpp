// The window's parts on their own: what a dropped file is, the recent pools
// and sessions and their menu, the status bar following the job queue, and the jobs
// table saying why a job failed.

#include "common/error.h"
#include "main_window.h"
#include "models/job_list_model.h"
#include "panels/log_panel.h"
#include "queue/job_queue.h"
#include "window/dropped_file.h"
#include "window/job_status_bar.h"
#include "window/recent_files.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtGui/QColor>
#include <QtTest/QSignalSpy>
#include <QtTest/QtTest>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenu>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QToolButton>

#include <atomic>
#include <memory>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

void write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

class TestWindowParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // keep the user's settings out of it
        QCoreApplication::setOrganizationName(QStringLiteral("WEMoE-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_window_parts"));
        QSettings().clear();
    }

    void droppedFilesAreToldApart()
    {
        QTemporaryDir dir;
        const auto path = [&](const char *name) { return dir.filePath(QString::fromLatin1(name)); };
        write(path("poolfolder/pool.json"), "{}");
        write(path("model/config.json"), "{}");
        write(path("model/model.safetensors"), "x");
        write(path("named.wemoe-session.json"), "not even JSON");
        write(path("declared.json"), R"({"format": "wemoe-studio-session", "version": 2})");
        write(path("other.json"), R"({"pretrained": "p"})");
        write(path("export/adamerging-coefficients.json"),
              R"({"method": "m", "tasks": ["a"], "groups": ["all"], "coefficients": [[0.3]]})");
        QDir().mkpath(path("empty"));

        const auto is = [](const QString &p, DroppedFile::Kind kind, const QString &target) {
            const DroppedFile d = DroppedFile::classify(p);
            return d.kind == kind && d.path == target;
        };
        QVERIFY(is(path("poolfolder"), DroppedFile::Kind::Pool, path("poolfolder/pool.json")));
        QVERIFY(is(path("model"), DroppedFile::Kind::Model, path("model")));
        QVERIFY(is(path("model/config.json"), DroppedFile::Kind::Model, path("model")));
        QVERIFY(is(path("model/model.safetensors"), DroppedFile::Kind::Model, path("model")));
        QVERIFY(is(path("named.wemoe-session.json"), DroppedFile::Kind::Session, path("named.wemoe-session.json")));
        QVERIFY(is(path("declared.json"), DroppedFile::Kind::Session, path("declared.json")));
        QVERIFY(is(path("other.json"), DroppedFile::Kind::Pool, path("other.json")));
        QVERIFY(is(path("export/adamerging-coefficients.json"), DroppedFile::Kind::Coefficients,
                   path("export/adamerging-coefficients.json")));
        QVERIFY(
            is(path("missing.json"), DroppedFile::Kind::Pool, path("missing.json"))); // opening it says what is wrong
        QVERIFY(is(path("empty"), DroppedFile::Kind::Unknown, path("empty")));
    }

    void recentPoolsKeepTheNewestTen()
    {
        QTemporaryDir dir;
        QMenu menu;
        RecentFiles recent(&menu);
        QVERIFY(recent.files().isEmpty());
        QVERIFY(!menu.isEnabled());
        const QString existing = dir.filePath(QStringLiteral("pool.json"));
        write(existing, "{}");
        const QString session = dir.filePath(QStringLiteral("named.json"));
        write(session, R"({"format": "wemoe-studio-session", "version": 2})");
        QSignalSpy changed(&recent, &RecentFiles::changed);
        for (int i = 0; i < 12; ++i)
            recent.add(dir.filePath(QStringLiteral("gone-%1.json").arg(i)));
        recent.add(existing);
        recent.add(session);
        QCOMPARE(changed.size(), 14);
        QStringList files = recent.files();
        QCOMPARE(files.size(), RecentFiles::kMaxFiles);
        QCOMPARE(files.first(), session);
        QCOMPARE(files.at(1), existing);
        QCOMPARE(files.last(), dir.filePath(QStringLiteral("gone-4.json")));
        // Sessions and pools told apart by what the file holds.
        QCOMPARE(recent.files(RecentFiles::Kind::Session), QStringList{session});
        QCOMPARE(recent.files(RecentFiles::Kind::Pool).first(), existing);
        recent.add(dir.filePath(QStringLiteral("gone-5.json"))); // again: moves to the top, once
        QCOMPARE(recent.files().first(), dir.filePath(QStringLiteral("gone-5.json")));
        QCOMPARE(recent.files().count(dir.filePath(QStringLiteral("gone-5.json"))), 1);

        // The menu: one entry per file (missing ones disabled), then "Clear list".
        const QList<QAction *> actions = menu.actions();
        QCOMPARE(actions.size(), RecentFiles::kMaxFiles + 2);
        QVERIFY(!actions.at(0)->isEnabled()); // gone-5
        QVERIFY(actions.at(1)->isEnabled());  // the session
        QVERIFY(actions.at(2)->isEnabled());  // the existing pool
        QString requested;
        connect(&recent, &RecentFiles::openRequested, this, [&requested](const QString &p) { requested = p; });
        actions.at(2)->trigger();
        QCOMPARE(requested, existing);
        actions.at(1)->trigger();
        QCOMPARE(requested, session);

        // A file removed while the studio runs is disabled the next time the menu opens.
        QVERIFY(QFile::remove(existing));
        Q_EMIT menu.aboutToShow();
        QVERIFY(!menu.actions().at(2)->isEnabled());

        menu.actions().last()->trigger(); // Clear list
        QVERIFY(recent.files().isEmpty());
        QVERIFY(!menu.isEnabled());
    }

    // Lists kept before sessions joined them (pools only, "ui/recentPools") carry over.
    void recentPoolsOfAnOlderVersionAreKept()
    {
        QSettings settings;
        settings.remove(QStringLiteral("ui/recentFiles"));
        settings.setValue(QStringLiteral("ui/recentPools"), QStringList{QStringLiteral("/old/pool.json")});
        QMenu menu;
        RecentFiles recent(&menu);
        QCOMPARE(recent.files(), QStringList{QStringLiteral("/old/pool.json")});
        recent.add(QStringLiteral("/new/pool.json"));
        QCOMPARE(recent.files(), (QStringList{QStringLiteral("/new/pool.json"), QStringLiteral("/old/pool.json")}));
        QVERIFY(!QSettings().contains(QStringLiteral("ui/recentPools")));
        recent.clear();
    }

    void statusBarFollowsTheQueue()
    {
        JobQueue queue;
        JobStatusBar bar(&queue);
        QCOMPARE(bar.jobText(), QStringLiteral("Ready"));
        auto release = std::make_shared<std::atomic<bool>>(false);
        Job *first = queue.enqueue(QStringLiteral("first"), [release](const JobContext &context) {
            context.progress(1, 4, QStringLiteral("step one"));
            while (!release->load())
                QThread::msleep(1);
        });
        queue.enqueue(QStringLiteral("second"), [](const JobContext &) {});
        QTRY_VERIFY(bar.jobText().startsWith(QStringLiteral("first — step one")));
        QVERIFY2(bar.jobText().endsWith(QStringLiteral("(+1 queued)")), qPrintable(bar.jobText()));
        release->store(true);
        QTRY_VERIFY(!queue.isBusy());
        QCOMPARE(first->state(), Job::State::Finished);
        QCOMPARE(bar.jobText(), QStringLiteral("Ready"));
        bar.setCompute(QStringLiteral("cpu"), 3);
        QVERIFY(bar.findChildren<QLabel *>().size() >= 3);
    }

    // A failed job in the window: a notice in the status bar that opens its log entry.
    void aFailureNoticeOpensItsLogEntry()
    {
        MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.logPanel()->info(QStringLiteral("before"));
        Job *job = window.jobQueue()->enqueue(QStringLiteral("doomed"), [](const JobContext &) {
            throw Error(QStringLiteral("/data/x.parquet"), QStringLiteral("page at byte 4: truncated"));
        });
        QTRY_COMPARE(job->state(), Job::State::Failed);
        auto *bar = qobject_cast<JobStatusBar *>(window.statusBar());
        QVERIFY(bar);
        QToolButton *notice = bar->failureNotice();
        QTRY_VERIFY(notice->isVisible());
        QVERIFY(notice->text().contains(QStringLiteral("doomed")));
        QCOMPARE(notice->toolTip(), QStringLiteral("/data/x.parquet: page at byte 4: truncated"));
        window.logPanel()->info(QStringLiteral("after")); // the entry is not simply the last line
        auto *log = window.findChild<QPlainTextEdit *>();
        QVERIFY(log);
        QTest::mouseClick(notice, Qt::LeftButton);
        QVERIFY(!notice->isVisible());
        QVERIFY2(log->textCursor().selectedText().contains(QStringLiteral("page at byte 4: truncated")),
                 qPrintable(log->textCursor().selectedText()));
        QTRY_VERIFY(window.findChild<QDockWidget *>(QStringLiteral("LogDock"))->isVisible());
        window.close();
    }

    // A failed job's row says why where its progress bar was; others keep the bar.
    void failedJobsShowTheirReason()
    {
        JobQueue queue;
        JobListModel model(&queue);
        queue.enqueue(QStringLiteral("export"), [](const JobContext &) {
            throw Error(QStringLiteral("/read-only/out"), QStringLiteral("cannot create a folder here"));
        });
        queue.enqueue(QStringLiteral("fine"), [](const JobContext &) {});
        QTRY_VERIFY(!queue.isBusy());
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex failed = model.index(0, JobListModel::ProgressColumn);
        QCOMPARE(failed.data().toString(), QStringLiteral("/read-only/out: cannot create a folder here"));
        QCOMPARE(failed.data(Qt::ForegroundRole).value<QColor>(), QColor(0xb0, 0x00, 0x20));
        const QModelIndex fine = model.index(1, JobListModel::ProgressColumn);
        QVERIFY(fine.data().isNull());
        QCOMPARE(fine.data(JobListModel::ProgressRole).toDouble(), 1.0);
    }
};

QTEST_MAIN(TestWindowParts)
#include "test_window_parts.moc"
