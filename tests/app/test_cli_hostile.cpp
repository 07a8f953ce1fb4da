// The command line as an attacker and an unlucky user try it: a pool that
// tries to write outside -o, a disk that fills up, special files where files
// are expected, two runs racing for one output, names that are not UTF-8 or
// hold terminal escapes, and Ctrl-C pressed twice.

#include "cli_process.h"
#include "demo/synthetic_pool.h"
#include "folder_entries.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace wemoe;
using wemoe::test::entriesOf;

namespace {

using wemoe::test::CliResult;
using Result = CliResult;

Result finish(QProcess &process)
{
    return wemoe::test::finishCli(process);
}

Result runWemoe(const QStringList &arguments)
{
    return wemoe::test::runCli(QStringLiteral(WEMOE_CLI), arguments);
}

Result runShell(const QString &script)
{
    return wemoe::test::runCli(QStringLiteral("/bin/sh"),
                               {QStringLiteral("-c"), script, QStringLiteral(WEMOE_CLI)}); // $0 is wemoe
}

} // namespace

class TestCliHostile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pool;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString pretrained() const { return path(QStringLiteral("pool/pretrained")); }

private Q_SLOTS:
    void initTestCase()
    {
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 2;
        options.imagesPerClass = 2;
        m_pool = writeSyntheticPool(path(QStringLiteral("pool")), options);
        QVERIFY(QFileInfo(pretrained()).isDir());
    }

    // A downloaded pool whose task is named "../canary": the pool is refused
    // when read, naming the file and the name, and the canary survives --force.
    void poolCannotWriteOutsideTheOutput()
    {
        QFile file(m_pool);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QJsonArray tasks = json[QStringLiteral("tasks")].toArray();
        QJsonObject first = tasks[0].toObject();
        first[QStringLiteral("name")] = QStringLiteral("../canary");
        tasks[0] = first;
        json[QStringLiteral("tasks")] = tasks;
        const QString hostile = path(QStringLiteral("pool/hostile.json"));
        QFile out(hostile);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(json).toJson());
        out.close();
        QVERIFY(QDir().mkpath(path(QStringLiteral("canary"))));
        QFile canary(path(QStringLiteral("canary/alive")));
        QVERIFY(canary.open(QIODevice::WriteOnly));
        canary.close();

        for (const QStringList &command :
             {QStringList{QStringLiteral("merge")},
              QStringList{QStringLiteral("collapse"), QStringLiteral("--wemoe"), m_pool}}) {
            const Result r = runWemoe(
                command
                + QStringList{hostile, QStringLiteral("-o"), path(QStringLiteral("out")), QStringLiteral("--force")});
            QVERIFY2(r.exitCode == 1, qPrintable(r.err));
            QVERIFY2(
                r.err.contains(hostile + QStringLiteral(": task 1: name '../canary' cannot be a file or folder name")),
                qPrintable(r.err));
        }
        QVERIFY(QFileInfo::exists(path(QStringLiteral("canary/alive"))));
    }

    // A real OS failure in the middle of an export: past RLIMIT_FSIZE write()
    // fails with EFBIG, as on a full disk with ENOSPC. Before, small files
    // could be reported "exported" while empty.
    void writeFailureFailsTheCommand()
    {
        QTemporaryDir out;
        const QString target = QDir(out.path()).filePath(QStringLiteral("copy"));
        QProcess process;
        process.setChildProcessModifier([] {
            ::signal(SIGXFSZ, SIG_IGN);
            rlimit limit{};
            getrlimit(RLIMIT_FSIZE, &limit);
            limit.rlim_cur = 512;
            setrlimit(RLIMIT_FSIZE, &limit);
        });
        process.start(QStringLiteral(WEMOE_CLI),
                      {QStringLiteral("export"), pretrained(), QStringLiteral("-o"), target});
        const Result r = finish(process);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(target + QStringLiteral("/"))
                     && r.err.contains(QLatin1String(": cannot write: File too large")),
                 qPrintable(r.err));
        QCOMPARE(entriesOf(out.path()), QStringList());
    }

    // The same on a real full file system: a tmpfs that is already full, in a
    // private mount namespace (needs unshare and mount rights; skipped without).
    void fullDiskFailsTheCommand()
    {
        QTemporaryDir out;
        // Inside: $0 is wemoe, $1 the mount point, $2 the model to export.
        const QString script =
            QStringLiteral("unshare -m sh -c '"
                           "mount -t tmpfs -o size=64k tmpfs \"$1\" 2>/dev/null || { echo NO_TMPFS; exit 0; }; "
                           "dd if=/dev/zero of=\"$1/fill\" bs=4k 2>/dev/null; "
                           "\"$0\" export \"$2\" -o \"$1/copy\"; echo \"rc=$?\"; ls -A \"$1\"' \"$0\" '%1' '%2'")
                .arg(out.path(), pretrained());
        const Result r = runShell(script);
        if (r.out.contains(QLatin1String("NO_TMPFS")) || r.err.contains(QLatin1String("unshare")))
            QSKIP("cannot mount a tmpfs here (needs unshare -m and mount rights)");
        QVERIFY2(r.out.contains(QLatin1String("rc=1\nfill\n")), qPrintable(r.out + r.err)); // nothing but the filler
        QVERIFY2(r.err.contains(out.path() + QStringLiteral("/copy/"))
                     && r.err.contains(QLatin1String("No space left on device")),
                 qPrintable(r.err));
    }

    void specialFilesAreRefusedAtOnce_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("problem");
        QTest::newRow("pool is /dev/zero") << QStringList{QStringLiteral("eval"), QStringLiteral("/dev/zero")}
                                           << "/dev/zero: is a character device, not a regular file; it is not read";
        QTest::newRow("pool is a FIFO") << QStringList{QStringLiteral("eval"), QStringLiteral("%FIFO%")}
                                        << "%FIFO%: is a FIFO (named pipe), not a regular file; it is not read";
        QTest::newRow("config.json is a FIFO") << QStringList{QStringLiteral("info"), QStringLiteral("%MODEL%")}
                                               << "config.json: is a FIFO (named pipe), not a regular file";
    }

    // Reading a FIFO blocked in open() forever, /dev/zero ran out of memory.
    void specialFilesAreRefusedAtOnce()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString fifo = QDir(dir.path()).filePath(QStringLiteral("pool.json"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString model = QDir(dir.path()).filePath(QStringLiteral("model"));
        QVERIFY(QDir().mkdir(model));
        QCOMPARE(::mkfifo(QFile::encodeName(QDir(model).filePath(QStringLiteral("config.json"))).constData(), 0600), 0);
        QFile::copy(QDir(pretrained()).filePath(QStringLiteral("model.safetensors")),
                    QDir(model).filePath(QStringLiteral("model.safetensors")));
        arguments.replaceInStrings(QStringLiteral("%FIFO%"), fifo);
        arguments.replaceInStrings(QStringLiteral("%MODEL%"), model);
        problem.replace(QStringLiteral("%FIFO%"), fifo);
        const Result r = runWemoe(arguments);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(problem), qPrintable(r.err));
    }

    // Two merges into one folder without --force: whether they overlap or
    // not, exactly one succeeds (before, the second deleted the first's output).
    void concurrentMergesWithoutForce()
    {
        QTemporaryDir out;
        const QString target = QDir(out.path()).filePath(QStringLiteral("merged"));
        const QStringList arguments{
            QStringLiteral("merge"), m_pool, QStringLiteral("-m"),        QStringLiteral("task_arithmetic"),
            QStringLiteral("-o"),    target, QStringLiteral("--threads"), QStringLiteral("1")};
        QProcess first;
        QProcess second;
        first.start(QStringLiteral(WEMOE_CLI), arguments);
        second.start(QStringLiteral(WEMOE_CLI), arguments);
        const Result a = finish(first);
        const Result b = finish(second);
        QCOMPARE(QList<int>({a.exitCode, b.exitCode}).count(0), 1);
        const Result &loser = a.exitCode == 0 ? b : a;
        QCOMPARE(loser.exitCode, 1);
        QVERIFY2(loser.err.contains(target + QStringLiteral(": already exists")), qPrintable(loser.err));
        QCOMPARE(entriesOf(out.path()), QStringList{QStringLiteral("merged")});
    }

    // Qt would turn the byte \xe9 into U+FFFD: another, missing, file.
    void nonUtf8ArgumentIsRefused()
    {
        const Result r = runShell(QStringLiteral("\"$0\" info \"$(printf 'caf\\351.json')\""));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("argument 2 ('caf\\xe9.json') is not valid UTF-8")), qPrintable(r.err));
    }

    // A name that reaches an error message cannot drive the terminal.
    void terminalEscapesAreShownNotSent()
    {
        const Result r = runShell(QStringLiteral("\"$0\" info \"$(printf 'x\\033[2Jy')\""));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(!r.err.contains(QChar(0x1b)), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("x\\x1b[2Jy")), qPrintable(r.err));
    }

    // Ctrl-C once: the job stops at its next check, says so and leaves no file.
    // (A second Ctrl-C ending a blocked process is tested in test_interrupt_handler.)
    void interruptStopsCleanly()
    {
        QProcess process;
        process.start(QStringLiteral(WEMOE_CLI),
                      {QStringLiteral("adapt"), m_pool, QStringLiteral("-o"), path(QStringLiteral("never.safetensors")),
                       QStringLiteral("--steps"), QStringLiteral("100000"), QStringLiteral("--threads"),
                       QStringLiteral("1")});
        QVERIFY(process.waitForStarted());
        QByteArray err;
        // Interrupt once adaptation runs (its progress label), so the handler is surely installed.
        process.setReadChannel(QProcess::StandardError);
        while (process.state() == QProcess::Running && !err.contains("[adapt")) {
            process.waitForReadyRead(1000);
            err += process.readAllStandardError();
        }
        QCOMPARE(process.state(), QProcess::Running);
        // A process that already ended has no id: kill(0) would signal this test's own group.
        QVERIFY2(process.processId() > 0, qPrintable(QString::fromUtf8(process.readAllStandardError())));
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        err += process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        QVERIFY2(err.contains("stopping (press Ctrl-C again to quit at once)")
                     && err.contains("wemoe: cancelled; no partial files were left"),
                 err.constData());
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("never.safetensors"))));
    }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "test_cli_hostile.moc"
