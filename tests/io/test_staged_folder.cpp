// Output folders appear whole or not at all: names from files cannot steer a
// write outside the output, the overwrite decision is made at the rename (two
// writers without overwrite: one wins, one fails), and staging folders of
// killed runs are removed by the next run for the same output, and only those.

#include "common/error.h"
#include "folder_entries.h"
#include "io/path_component.h"
#include "io/staged_folder.h"
#include "io_test_util.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace wemoe;
using namespace wemoe::test;

class TestStagedFolder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appearsOnlyAtCommit()
    {
        QTemporaryDir dir;
        const QString target = QDir(dir.path()).filePath(QStringLiteral("out"));
        StagedFolder output(target, false);
        writeBytes(QDir(output.path()).filePath(QStringLiteral("a.txt")), "a");
        QVERIFY(!QFileInfo::exists(target));
        output.commit();
        QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("out")});
        QCOMPARE(readBytes(QDir(target).filePath(QStringLiteral("a.txt"))), QByteArray("a"));
    }

    void destroyedWithoutCommitLeavesNothing()
    {
        QTemporaryDir dir;
        {
            StagedFolder output(QDir(dir.path()).filePath(QStringLiteral("out")), false);
            writeBytes(QDir(output.path()).filePath(QStringLiteral("a.txt")), "a");
        }
        QCOMPARE(entriesOf(dir.path()), QStringList());
    }

    // Both runs passed the early existence check; the rename decides. Before,
    // the second silently replaced (and deleted) the first one's folder.
    void twoWritersWithoutOverwriteOneWins()
    {
        QTemporaryDir dir;
        const QString target = QDir(dir.path()).filePath(QStringLiteral("merged"));
        StagedFolder first(target, false);
        StagedFolder second(target, false);
        writeBytes(QDir(first.path()).filePath(QStringLiteral("who")), "first");
        writeBytes(QDir(second.path()).filePath(QStringLiteral("who")), "second");
        first.commit();
        const QString message = errorOf([&] { second.commit(); });
        QCOMPARE(message,
                 target + QStringLiteral(": already exists (another run wrote it meanwhile); it is not replaced"));
        QCOMPARE(readBytes(QDir(target).filePath(QStringLiteral("who"))), QByteArray("first"));
    }

    void overwriteReplacesAndRemovesThePrevious()
    {
        QTemporaryDir dir;
        const QString target = QDir(dir.path()).filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkdir(target));
        writeBytes(QDir(target).filePath(QStringLiteral("old.txt")), "old");
        StagedFolder output(target, true);
        writeBytes(QDir(output.path()).filePath(QStringLiteral("new.txt")), "new");
        output.commit();
        QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("out")});
        QCOMPARE(entriesOf(target), QStringList{QStringLiteral("new.txt")});
    }

    void existingTargetWithoutOverwriteIsRefusedUpFront()
    {
        QTemporaryDir dir;
        const QString target = QDir(dir.path()).filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkdir(target));
        const QString message = errorOf([&] { StagedFolder output(target, false); });
        QCOMPARE(message, target + QStringLiteral(": already exists (allow overwriting or choose another folder)"));
        QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("out")});
    }

    // Replacing a link would delete through it; it is refused, and its target survives.
    void symbolicLinkIsNotReplaced()
    {
        QTemporaryDir dir;
        const QDir folder(dir.path());
        QVERIFY(folder.mkdir(QStringLiteral("thesis")));
        writeBytes(folder.filePath(QStringLiteral("thesis/chapter1.tex")), "precious");
        const QString link = folder.filePath(QStringLiteral("out"));
        QVERIFY(QFile::link(folder.filePath(QStringLiteral("thesis")), link));
        const QString message = errorOf([&] { StagedFolder output(link, true); });
        QVERIFY2(message.startsWith(link + QStringLiteral(": is a symbolic link; it is not replaced")),
                 qPrintable(message));
        QCOMPARE(readBytes(folder.filePath(QStringLiteral("thesis/chapter1.tex"))), QByteArray("precious"));
    }

    void hostileSubfolderNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem");
        QTest::newRow("parent") << "../canary"
                                << "it contains the path separator '/'";
        QTest::newRow("absolute") << "/tmp/x"
                                  << "it contains the path separator '/'";
        QTest::newRow("dot dot") << ".."
                                 << "it names a folder itself";
        QTest::newRow("dot") << "."
                             << "it names a folder itself";
        QTest::newRow("empty") << ""
                               << "it is empty";
        QTest::newRow("hidden") << ".partial"
                                << "it starts with '.' (a hidden name)";
        QTest::newRow("escape") << "red\x1b[31m"
                                << "it contains the control character U+001b";
        QTest::newRow("newline") << "a\nb"
                                 << "it contains the control character U+000a";
        QTest::newRow("nul") << QString(QChar(0)) + "x"
                             << "it contains the control character U+0000";
    }

    // The hostile pool of the report: a task named "../canary" with overwrite
    // on would have replaced and deleted the folder beside the output.
    void hostileSubfolderNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QDir folder(dir.path());
        QVERIFY(folder.mkdir(QStringLiteral("canary")));
        writeBytes(folder.filePath(QStringLiteral("canary/alive")), "yes");
        const QString target = folder.filePath(QStringLiteral("out"));
        {
            StagedFolder output(target, true);
            const QString message = errorOf(
                [&] { output.createSubfolder(name, QStringLiteral("pool.json"), QStringLiteral("task name")); });
            QVERIFY2(message.startsWith(QStringLiteral("pool.json: task name '")) && message.endsWith(problem),
                     qPrintable(message));
        }
        QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("canary")});
        QCOMPARE(readBytes(folder.filePath(QStringLiteral("canary/alive"))), QByteArray("yes"));
    }

    void plainNamesAreAccepted()
    {
        for (const QString &name : {QStringLiteral("mnist"), QStringLiteral("Stanford Cars"), QStringLiteral("数字"),
                                    QStringLiteral("a.b"), QString(255, QLatin1Char('x'))})
            QVERIFY2(pathComponentProblem(name).isEmpty(), qPrintable(name));
        // 255 bytes is the limit in UTF-8: 86 three-byte characters are 258.
        QCOMPARE(pathComponentProblem(QString(86, QChar(0x6570))),
                 QStringLiteral("it is 258 bytes long, more than 255"));
    }

    // SIGKILL during an export left ".out.partial-XXXXXXXX" folders forever.
    // The next export to the same output removes those whose writer is gone
    // (their lock is free), says so, and leaves a live run's and others alone.
    void staleStagingOfKilledRunsIsRemoved()
    {
        QTemporaryDir dir;
        const QDir folder(dir.path());
        for (const char *name :
             {".out.partial-0badf00d", ".out.partial-11ee11ee", ".out.partial-mine", ".other.partial-0badf00d"}) {
            QVERIFY(folder.mkdir(QString::fromLatin1(name)));
            writeBytes(folder.filePath(QString::fromLatin1(name) + QStringLiteral("/model.safetensors")), "partial");
        }
        const int live = ::open(QFile::encodeName(folder.filePath(QStringLiteral(".out.partial-11ee11ee"))).constData(),
                                O_RDONLY | O_DIRECTORY);
        QVERIFY(live >= 0);
        QCOMPARE(::flock(live, LOCK_EX | LOCK_NB), 0);

        QStringList warnings;
        JobContext context;
        context.onWarning = [&](const QString &warning) { warnings << warning; };
        StagedFolder output(folder.filePath(QStringLiteral("out")), false, context);
        output.commit();
        ::close(live);

        QCOMPARE(warnings,
                 QStringList{folder.filePath(QStringLiteral("out"))
                             + QStringLiteral(
                                 ": removed .out.partial-0badf00d, left by an earlier export that did not finish")});
        QCOMPARE(entriesOf(dir.path()),
                 (QStringList{QStringLiteral(".other.partial-0badf00d"), QStringLiteral(".out.partial-11ee11ee"),
                              QStringLiteral(".out.partial-mine"), QStringLiteral("out")}));
    }

    // Errors of writes into the staging folder name the target, not the hidden folder.
    void errorsNameTheTarget()
    {
        QTemporaryDir dir;
        const QString target = QDir(dir.path()).filePath(QStringLiteral("out"));
        StagedFolder output(target, false);
        const QString message = errorOf([&] {
            try {
                throw Error(QDir(output.path()).filePath(QStringLiteral("model.safetensors")),
                            QStringLiteral("cannot write: No space left on device"));
            } catch (...) {
                output.rethrowNamingTarget();
            }
        });
        QCOMPARE(message, target + QStringLiteral("/model.safetensors: cannot write: No space left on device"));
    }
};

QTEST_GUILESS_MAIN(TestStagedFolder)
#include "test_staged_folder.moc"
