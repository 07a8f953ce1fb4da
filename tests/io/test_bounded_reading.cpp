// Files a user or a downloaded pool points us at may be anything: every reader
// refuses special files before open() can block, and files over its cap before
// reading a byte, with a message naming the file.

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/clip_config.h"
#include "io/json_file.h"
#include "io/model_pool.h"
#include "io/pytorch_checkpoint.h"
#include "io/regular_file.h"
#include "io/safetensors.h"
#include "io/zero_shot_spec.h"
#include "io_test_util.h"
#include "test_support.h"
#include "text/clip_tokenizer.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include <functional>

using namespace wemoe;
using namespace wemoe::test;

namespace {

using Reader = std::function<void(const QString &path)>;

struct NamedReader
{
    const char *name;
    Reader read;
};

// Every reader of files that come from outside, by the path it is handed.
const std::vector<NamedReader> &readers()
{
    static const std::vector<NamedReader> all{
        {"config", [](const QString &path) { ClipVisionConfig::load(path); }},
        {"pool", [](const QString &path) { ModelPool::load(path); }},
        {"json", [](const QString &path) { readJsonObjectFile(path); }},
        {"safetensors", [](const QString &path) { readSafetensors(path); }},
        {"index", [](const QString &path) { readSafetensorsCheckpoint(path); }},
        {"pytorch", [](const QString &path) { readPytorchCheckpoint(path); }},
        {"tokenizer", [](const QString &path) { ClipTokenizer::fromTokenizerJson(path); }},
        {"list", [](const QString &path) { readListFile(path); }},
    };
    return all;
}

// A path of `folder` for `reader` to open: the index reader decides by suffix.
QString pathFor(const QDir &folder, const char *reader, const QString &stem)
{
    return folder.filePath(stem + (qstrcmp(reader, "index") == 0 ? QStringLiteral(".index.json") : QString()));
}

} // namespace

class TestBoundedReading : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fifoIsRefusedWithoutBlocking_data()
    {
        QTest::addColumn<int>("reader");
        for (size_t i = 0; i < readers().size(); ++i)
            QTest::newRow(readers()[i].name) << static_cast<int>(i);
    }

    // Nobody writes to the FIFO: a reader that opened it would block forever
    // (the test would then hit CTest's timeout instead of failing here).
    void fifoIsRefusedWithoutBlocking()
    {
        QFETCH(int, reader);
        QTemporaryDir dir;
        const NamedReader &r = readers()[static_cast<size_t>(reader)];
        const QString fifo = pathFor(QDir(dir.path()), r.name, QStringLiteral("pipe"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString message = errorOf([&] { r.read(fifo); });
        QVERIFY2(message.startsWith(fifo + ": is a FIFO (named pipe), not a regular file"), qPrintable(message));
    }

    void devicesAreRefused_data()
    {
        QTest::addColumn<int>("reader");
        QTest::addColumn<QString>("device");
        for (size_t i = 0; i < readers().size(); ++i) {
            if (qstrcmp(readers()[i].name, "index") == 0)
                continue; // an index is recognised by its name; a device is not called *.index.json
            for (const char *device : {"/dev/zero", "/dev/urandom"})
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(readers()[i].name, device)))
                    << static_cast<int>(i) << QString::fromLatin1(device);
        }
    }

    // /dev/zero never ends: read whole, it took 2.2 GB before bad_alloc.
    void devicesAreRefused()
    {
        QFETCH(int, reader);
        QFETCH(QString, device);
        const QString message = errorOf([&] { readers()[static_cast<size_t>(reader)].read(device); });
        QVERIFY2(message == device + ": is a character device, not a regular file; it is not read",
                 qPrintable(message));
    }

    // The same through a symbolic link with an innocent name: the type is the target's.
    void linkToADeviceIsRefused()
    {
        QTemporaryDir dir;
        const QString link = QDir(dir.path()).filePath(QStringLiteral("model.safetensors.index.json"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), link));
        const QString message = errorOf([&] { readSafetensorsCheckpoint(link); });
        QVERIFY2(message == link + ": is a character device, not a regular file; it is not read", qPrintable(message));
    }

    // An index may name a shard that is a FIFO: refused by type, not waited on.
    void shardThatIsAFifoIsRefused()
    {
        QTemporaryDir dir;
        const QDir folder(dir.path());
        const QString shard = folder.filePath(QStringLiteral("model-00001-of-00001.safetensors"));
        QCOMPARE(::mkfifo(QFile::encodeName(shard).constData(), 0600), 0);
        writeBytes(folder.filePath(QStringLiteral("model.safetensors.index.json")),
                   R"({"weight_map": {"w": "model-00001-of-00001.safetensors"}})");
        const QString message = errorOf([&] { readSafetensorsCheckpoint(dir.path()); });
        QVERIFY2(message == shard + ": is a FIFO (named pipe), not a regular file; it is not read",
                 qPrintable(message));
    }

    void folderIsRefused()
    {
        QTemporaryDir dir;
        const QString folder = QDir(dir.path()).filePath(QStringLiteral("pool.json"));
        QVERIFY(QDir().mkdir(folder));
        const QString message = errorOf([&] { ModelPool::load(folder); });
        QVERIFY2(message == folder + ": is a folder, not a regular file; it is not read", qPrintable(message));
    }

    // The size is checked with fstat before any byte is read: a sparse file
    // of 2 GB costs nothing to make and would cost 2 GB to read.
    void oversizedJsonIsRefusedBeforeReading()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("config.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(2LL << 30));
        file.close();
        const QString message = errorOf([&] { ClipVisionConfig::load(path); });
        QVERIFY2(message == path + ": is 2.1 GB, more than the 67 MB a file of this kind may be; it is not read",
                 qPrintable(message));
    }

    // Exactly at the cap is still read; one byte more is not.
    void capIsInclusive()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("a.json"));
        writeBytes(path, "{\"a\": 1}");
        QCOMPARE(readRegularFile(path, 8), QByteArray("{\"a\": 1}"));
        const QString message = errorOf([&] { readRegularFile(path, 7); });
        QVERIFY2(message == path + ": is 8 bytes, more than the 7 bytes a file of this kind may be; it is not read",
                 qPrintable(message));
    }

    // A missing file is named as missing, not as an unknown error.
    void missingFile()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("gone.json"));
        QCOMPARE(errorOf([&] { readJsonObjectFile(path); }), path + QStringLiteral(": does not exist"));
    }

    void unreadableFileNamesTheSystemReason()
    {
        if (::geteuid() == 0)
            QSKIP("root reads files whatever their permissions");
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("secret.json"));
        writeBytes(path, "{}");
        QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
        QCOMPARE(errorOf([&] { readJsonObjectFile(path); }), path + QStringLiteral(": cannot open: Permission denied"));
    }

    void byteSizes()
    {
        QCOMPARE(byteSizeText(0), QStringLiteral("0 bytes"));
        QCOMPARE(byteSizeText(999), QStringLiteral("999 bytes"));
        QCOMPARE(byteSizeText(1000), QStringLiteral("1.0 kB"));
        QCOMPARE(byteSizeText(64LL << 20), QStringLiteral("67 MB")); // 67 108 864 bytes
        QCOMPARE(byteSizeText(2LL << 30), QStringLiteral("2.1 GB")); // 2 147 483 648 bytes
    }
};

QTEST_GUILESS_MAIN(TestBoundedReading)
#include "test_bounded_reading.moc"
