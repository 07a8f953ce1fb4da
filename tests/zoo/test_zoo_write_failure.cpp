// A disk that fills up while the demo zoo is written must leave no zoo that
// looks usable: the build fails with the name of the file it could not
// write, nothing is left in the cache folder, and a zoo that was already
// there survives a failed forced rebuild byte for byte. "Disk full" is
// simulated with RLIMIT_FSIZE: writing past the limit fails with EFBIG, the
// same way a write to a full disk fails with ENOSPC. Needs the demo data
// packages (`packaging/install-deps.sh --demo-data`).
#include "common/error.h"
#include "folder_entries.h"
#include "zoo/zoo_cache.h"
#include "zoo/zoo_pool_builder.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtGui/QGuiApplication>
#include <QtTest/QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace wemoe;
using wemoe::test::entriesOf;

namespace {

// Every PNG of the demo datasets (32×32 RGB) stays well below this, but each
// task's dataset.json (one line per image) is larger: the build gets into the
// middle of the first task before a write fails.
constexpr rlim_t kFileSizeLimit = 8 * 1024;

// Lowers the soft file-size limit of this process while it lives. SIGXFSZ
// would kill the process; ignored, the write returns EFBIG instead.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_previous);
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limited = m_previous;
        limited.rlim_cur = bytes;
        m_active = setrlimit(RLIMIT_FSIZE, &limited) == 0;
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_previous);
        std::signal(SIGXFSZ, m_previousHandler);
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;
    bool active() const { return m_active; }

private:
    rlimit m_previous{};
    void (*m_previousHandler)(int) = SIG_DFL;
    bool m_active = false;
};

QByteArray contentsOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

ZooBuildOptions quickOptionsIn(const QString &cacheFolder)
{
    ZooBuildOptions options;
    options.quick = true;
    options.cacheFolder = cacheFolder;
    options.threads = 1;
    return options;
}

// Runs buildZoo under the file-size limit; returns the error's message.
QString failingBuildMessage(const ZooBuildOptions &options)
{
    const FileSizeLimit limit(kFileSizeLimit);
    if (!limit.active())
        return QStringLiteral("(setrlimit failed)");
    try {
        buildZoo(options);
    } catch (const Error &error) {
        return error.message();
    }
    return QStringLiteral("(the build succeeded)");
}

} // namespace

class TestZooWriteFailure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The package files must be there, or the builds below would fail for another reason.
        QVERIFY2(QFileInfo::exists(QStringLiteral("/usr/share/doc/opencv-doc/examples/data/digits.png")),
                 "run packaging/install-deps.sh --demo-data");
    }

    void fullDiskLeavesNothingBehind()
    {
        QTemporaryDir cache;
        QVERIFY(cache.isValid());
        const ZooBuildOptions options = quickOptionsIn(cache.path());
        const QString message = failingBuildMessage(options);
        // The failing file is named, inside the staging folder, never the zoo's own.
        QVERIFY2(message.contains(QStringLiteral("cannot be written")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("/.") + QFileInfo(zooFolder(options)).fileName()
                                  + QStringLiteral(".partial/")),
                 qPrintable(message));
        QVERIFY(builtZooPoolFile(options).isEmpty());
        QCOMPARE(entriesOf(cache.path()), QStringList()); // no zoo, no staging folder, no lock
    }

    void fullDiskKeepsThePreviousZoo()
    {
        QTemporaryDir cache;
        QVERIFY(cache.isValid());
        ZooBuildOptions options = quickOptionsIn(cache.path());
        // A finished zoo as the cache holds it (its content does not matter here).
        const QString folder = zooFolder(options);
        QVERIFY(QDir().mkpath(folder));
        writeFile(zooPoolFile(folder), "{\"previous\": true}");
        writeFile(zooCompleteMarker(folder), "{}");
        QVERIFY(isCompleteZoo(folder));

        options.force = true;
        const QString message = failingBuildMessage(options);
        QVERIFY2(message.contains(QStringLiteral("cannot be written")), qPrintable(message));
        QCOMPARE(builtZooPoolFile(options), zooPoolFile(folder));
        QCOMPARE(contentsOf(zooPoolFile(folder)), QByteArray("{\"previous\": true}"));
        QCOMPARE(entriesOf(folder), (QStringList{QStringLiteral(".zoo-complete"), QStringLiteral("pool.json")}));
        QCOMPARE(entriesOf(cache.path()), QStringList{QFileInfo(folder).fileName()});
    }

    void markerThatCannotBeWrittenKeepsThePreviousZoo()
    {
        // The last write of a build is the completion marker; when it fails
        // the new zoo is discarded and the old one stays in place.
        QTemporaryDir cache;
        QVERIFY(cache.isValid());
        const QString folder = QDir(cache.path()).filePath(QStringLiteral("zoo-x"));
        QVERIFY(QDir().mkpath(folder));
        writeFile(QDir(folder).filePath(QStringLiteral("pool.json")), "old");
        writeFile(zooCompleteMarker(folder), "{}");
        QString staging;
        {
            ZooStaging building(folder);
            staging = building.folder();
            writeFile(QDir(staging).filePath(QStringLiteral("pool.json")), "new");
            const FileSizeLimit limit(1); // not even the marker fits
            QVERIFY(limit.active());
            QVERIFY_THROWS_EXCEPTION(Error, building.commit(QByteArray(64, 'm')));
        }
        QVERIFY(!QFileInfo::exists(staging));
        QCOMPARE(contentsOf(QDir(folder).filePath(QStringLiteral("pool.json"))), QByteArray("old"));
        QCOMPARE(entriesOf(cache.path()), QStringList{QStringLiteral("zoo-x")});
    }
};

QTEST_MAIN(TestZooWriteFailure)
#include "test_zoo_write_failure.moc"
