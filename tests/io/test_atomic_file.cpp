// The one writer of output files: a failed write anywhere (a full disk, here
// injected or from RLIMIT_FSIZE) fails loudly with the system's reason and the
// target's name, and leaves the target as it was; stale files of killed runs
// are cleaned up, live writers' files are not.

#include "common/error.h"
#include "folder_entries.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "io/staging.h"
#include "io_test_util.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace wemoe;
using namespace wemoe::test;

namespace {

// Turns the injected fault off whatever way a test ends.
struct InjectedFault
{
    InjectedFault(qint64 bytes, int error) { injectWriteFailureAfter(bytes, error); }
    ~InjectedFault() { injectWriteFailureAfter(-1, 0); }
};

} // namespace

class TestAtomicFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesAndReplaces()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("table.csv"));
        writeFileAtomically(path, "first");
        writeFileAtomically(path, "second");
        QCOMPARE(readBytes(path), QByteArray("second"));
        QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("table.csv")});
    }

    // Qt 6.4's QSaveFile reported success for a small write that failed in its
    // buffer: the CLI printed "exported" over 0-byte files.
    void smallWriteOnAFullDiskFails()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("config.json"));
        const InjectedFault fault(0, ENOSPC);
        const QString message = errorOf([&] { writeFileAtomically(path, "{\"a\": 1}"); });
        QCOMPARE(message, path + QStringLiteral(": cannot write: No space left on device"));
        QCOMPARE(entriesOf(dir.path()), QStringList()); // no target, no hidden leftovers
    }

    // Part-way through a large file, the previous version stays byte for byte.
    void failureKeepsThePreviousFile()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("model.safetensors"));
        const TensorMap tensors{{"w", torch::arange(1000, torch::kFloat32)}};
        writeSafetensors(path, tensors);
        const QByteArray before = readBytes(path);
        {
            const InjectedFault fault(2000, ENOSPC);
            const QString message = errorOf([&] {
                writeSafetensors(path, TensorMap{{"w", torch::zeros({1000}, torch::kFloat32)}});
            });
            QCOMPARE(message, path + QStringLiteral(": cannot write: No space left on device"));
        }
        QCOMPARE(readBytes(path), before);
        QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("model.safetensors")});
    }

    // A real OS failure, not an injected one: past RLIMIT_FSIZE write() fails
    // with EFBIG (SIGXFSZ ignored), as a full disk fails with ENOSPC.
    void fileSizeLimitFailsWithTheSystemsReason()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("big.bin"));
        rlimit previous{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &previous), 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limited = previous;
        limited.rlim_cur = 4096;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        const QString message = errorOf([&] { writeFileAtomically(path, QByteArray(10000, 'x')); });
        setrlimit(RLIMIT_FSIZE, &previous);
        std::signal(SIGXFSZ, previousHandler);
        QCOMPARE(message, path + QStringLiteral(": cannot write: File too large"));
        QCOMPARE(entriesOf(dir.path()), QStringList());
    }

    void replacedFileKeepsItsPermissions()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("run.sh"));
        writeFileAtomically(path, "echo 1");
        const auto mode = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                          | QFileDevice::ReadGroup;
        QVERIFY(QFile::setPermissions(path, mode));
        writeFileAtomically(path, "echo 2");
        QCOMPARE(QFile::permissions(path) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser),
                 mode);
    }

    void keepRefusesAnExistingTarget()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("out.txt"));
        AtomicFile file(path);
        file.write("mine");
        writeFileAtomically(path, "theirs"); // another writer, quicker
        const QString message = errorOf([&] { file.commit(AtomicFile::Existing::Keep); });
        QVERIFY2(message.startsWith(path + ": already exists"), qPrintable(message));
        QCOMPARE(readBytes(path), QByteArray("theirs"));
    }

    void uncommittedLeavesNothing()
    {
        QTemporaryDir dir;
        {
            AtomicFile file(QDir(dir.path()).filePath(QStringLiteral("out.txt")));
            file.write("half");
        }
        QCOMPARE(entriesOf(dir.path()), QStringList());
    }

    void missingFolderOrReadOnlyFolder()
    {
        QTemporaryDir dir;
        const QString missing = QDir(dir.path()).filePath(QStringLiteral("no/such/t.csv"));
        QCOMPARE(errorOf([&] { writeFileAtomically(missing, "x"); }),
                 missing + QStringLiteral(": cannot write: the folder ")
                     + QDir(dir.path()).filePath(QStringLiteral("no/such")) + QStringLiteral(" does not exist"));
        if (::geteuid() == 0)
            return; // root writes into read-only folders
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        const QString readOnly = QDir(dir.path()).filePath(QStringLiteral("t.csv"));
        const QString message = errorOf([&] { writeFileAtomically(readOnly, "x"); });
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QCOMPARE(message, readOnly + QStringLiteral(": cannot write: Permission denied"));
    }

    void folderTargetIsRefused()
    {
        QTemporaryDir dir;
        const QString message = errorOf([&] { writeFileAtomically(dir.path(), "x"); });
        QCOMPARE(message, dir.path() + QStringLiteral(": is a folder; a file cannot be written in its place"));
    }

    // A killed run leaves ".out.txt.partial-<hex>" with nobody holding its lock:
    // the next write of out.txt removes it. A live writer's sibling, and names
    // that only look alike, stay.
    void staleSiblingsOfKilledRunsAreRemoved()
    {
        QTemporaryDir dir;
        const QDir folder(dir.path());
        const QString target = folder.filePath(QStringLiteral("out.txt"));
        writeBytes(folder.filePath(QStringLiteral(".out.txt.partial-0badf00d")), "killed");
        writeBytes(folder.filePath(QStringLiteral(".out.txt.partial-notours")), "user's");
        writeBytes(folder.filePath(QStringLiteral(".other.txt.partial-0badf00d")), "another target's");
        const QString live = folder.filePath(QStringLiteral(".out.txt.partial-11ee11ee"));
        writeBytes(live, "live");
        const int fd = ::open(QFile::encodeName(live).constData(), O_RDONLY);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX | LOCK_NB), 0); // as its writer holds it

        writeFileAtomically(target, "new");
        ::close(fd);
        QCOMPARE(
            entriesOf(dir.path()),
            (QStringList{QStringLiteral(".other.txt.partial-0badf00d"), QStringLiteral(".out.txt.partial-11ee11ee"),
                         QStringLiteral(".out.txt.partial-notours"), QStringLiteral("out.txt")}));
    }

    // The injected fault counts bytes across calls and files.
    void injectedFaultCountsBytes()
    {
        QTemporaryDir dir;
        const QDir folder(dir.path());
        const InjectedFault fault(10, EIO);
        writeFileAtomically(folder.filePath(QStringLiteral("a")), "12345");
        writeFileAtomically(folder.filePath(QStringLiteral("b")), "12345");
        const QString message = errorOf([&] { writeFileAtomically(folder.filePath(QStringLiteral("c")), "1"); });
        QCOMPARE(message, folder.filePath(QStringLiteral("c")) + QStringLiteral(": cannot write: Input/output error"));
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "test_atomic_file.moc"
