// Hugging Face cache names resolved offline, on a cache tree laid out as
// huggingface_hub lays it out: refs/<branch or tag> files holding commit
// hashes, snapshots/<hash>/ with files symlinked into blobs/.

#include "common/error.h"
#include "io/hub_cache.h"
#include "test_support.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <map>

using namespace wemoe;
using namespace wemoe::test;

namespace {

const QString kMainHash = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
const QString kTagHash = QStringLiteral("89abcdef0123456789abcdef0123456789abcdef");
const QString kMissingHash = QStringLiteral("fedcba9876543210fedcba9876543210fedcba98");

// Every variable that chooses the cache folder, cleared for a test and restored after it.
class CacheEnvironment
{
public:
    CacheEnvironment()
    {
        for (const char *name : kNames) {
            if (qEnvironmentVariableIsSet(name))
                m_saved[name] = qgetenv(name);
            qunsetenv(name);
        }
    }
    ~CacheEnvironment()
    {
        for (const char *name : kNames) {
            const auto it = m_saved.find(name);
            if (it == m_saved.end())
                qunsetenv(name);
            else
                qputenv(name, it->second);
        }
    }
    CacheEnvironment(const CacheEnvironment &) = delete;
    CacheEnvironment &operator=(const CacheEnvironment &) = delete;

private:
    static constexpr const char *kNames[] = {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME",
                                             "HOME"};
    std::map<const char *, QByteArray> m_saved;
};

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(bytes);
}

// One cached revision: the blob and the snapshot's symlink to it, as huggingface_hub writes them.
void writeSnapshot(const QString &repoFolder, const QString &hash, const QByteArray &config)
{
    const QString blob = QStringLiteral("blobs/")
                         + QString::fromLatin1(QCryptographicHash::hash(config, QCryptographicHash::Sha256).toHex());
    writeFile(repoFolder + QLatin1Char('/') + blob, config);
    const QString snapshot = repoFolder + QStringLiteral("/snapshots/") + hash;
    QDir().mkpath(snapshot);
    QVERIFY(QFile::link(QStringLiteral("../../") + blob, snapshot + QStringLiteral("/config.json")));
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestHubCache : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<CacheEnvironment> m_environment;
    std::unique_ptr<QTemporaryDir> m_dir;

    QString hub() const { return m_dir->filePath(QStringLiteral("hub")); }
    QString repo() const { return hub() + QStringLiteral("/models--openai--clip-vit-base-patch32"); }

private Q_SLOTS:
    // A fresh cache for every test: main and the tag v1.0 at two commits,
    // a pull-request ref, and a data set.
    void init()
    {
        m_environment = std::make_unique<CacheEnvironment>();
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        writeSnapshot(repo(), kMainHash, "{\"revision\": \"main\"}");
        writeSnapshot(repo(), kTagHash, "{\"revision\": \"v1.0\"}");
        writeFile(repo() + QStringLiteral("/refs/main"), kMainHash.toLatin1());
        writeFile(repo() + QStringLiteral("/refs/v1.0"), kTagHash.toLatin1() + "\n");
        writeFile(repo() + QStringLiteral("/refs/refs/pr/1"), kTagHash.toLatin1());
        const QString dataset = hub() + QStringLiteral("/datasets--tanganke--sun397");
        writeSnapshot(dataset, kMainHash, "{\"data\": true}");
        writeFile(dataset + QStringLiteral("/refs/main"), kMainHash.toLatin1());
        qputenv("HF_HUB_CACHE", hub().toUtf8());
    }

    void cleanup()
    {
        m_dir.reset();
        m_environment.reset();
    }

    void cacheFolderFollowsHuggingFaceHub()
    {
        const QString root = m_dir->path();
        qunsetenv("HF_HUB_CACHE");
        qputenv("HOME", (root + QStringLiteral("/home")).toUtf8());
        QCOMPARE(hubCacheFolder(), root + QStringLiteral("/home/.cache/huggingface/hub"));
        qputenv("XDG_CACHE_HOME", (root + QStringLiteral("/xdg")).toUtf8());
        QCOMPARE(hubCacheFolder(), root + QStringLiteral("/xdg/huggingface/hub"));
        qputenv("HF_HOME", "~/hf");
        QCOMPARE(hubCacheFolder(), root + QStringLiteral("/home/hf/hub"));
        qputenv("HUGGINGFACE_HUB_CACHE", (root + QStringLiteral("/legacy")).toUtf8());
        QCOMPARE(hubCacheFolder(), root + QStringLiteral("/legacy"));
        qputenv("HF_HUB_CACHE", "${HOME}/new/$UNSET_WEMOE_VARIABLE");
        QCOMPARE(hubCacheFolder(), root + QStringLiteral("/home/new/$UNSET_WEMOE_VARIABLE"));
        // An empty variable counts as unset.
        qputenv("HF_HUB_CACHE", "");
        QCOMPARE(hubCacheFolder(), root + QStringLiteral("/legacy"));
    }

    void mainIsTheDefaultRevision()
    {
        const QString snapshot = resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32"));
        QCOMPARE(snapshot, repo() + QStringLiteral("/snapshots/") + kMainHash);
        // The snapshot's files are links into blobs/, readable through the folder.
        QVERIFY(QFileInfo(snapshot + QStringLiteral("/config.json")).isSymLink());
        QCOMPARE(readAll(snapshot + QStringLiteral("/config.json")), QByteArray("{\"revision\": \"main\"}"));
        QCOMPARE(resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32@main")), snapshot);
    }

    void tagsRefsAndHashes()
    {
        const QString tagged = repo() + QStringLiteral("/snapshots/") + kTagHash;
        QCOMPARE(resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32@v1.0")), tagged);
        QCOMPARE(resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32@refs/pr/1")), tagged);
        // A full commit hash names its snapshot directly, with or without a ref to it.
        QCOMPARE(resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32@") + kTagHash), tagged);
        QFile::remove(repo() + QStringLiteral("/refs/v1.0"));
        QFile::remove(repo() + QStringLiteral("/refs/refs/pr/1"));
        QCOMPARE(resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32@") + kTagHash), tagged);
    }

    void datasetsHaveTheirOwnFolders()
    {
        QCOMPARE(resolveHubSnapshot(QStringLiteral("tanganke/sun397"), HubRepoKind::Dataset),
                 hub() + QStringLiteral("/datasets--tanganke--sun397/snapshots/") + kMainHash);
        const QString message = errorOf([] { resolveHubSnapshot(QStringLiteral("tanganke/sun397")); });
        QVERIFY2(message.contains(hub() + QStringLiteral("/models--tanganke--sun397")), qPrintable(message));
    }

    void missingCacheFolderNamesTheVariable()
    {
        qputenv("HF_HUB_CACHE", m_dir->filePath(QStringLiteral("nowhere")).toUtf8());
        const QString message = errorOf([] { resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32")); });
        QVERIFY2(message.startsWith(QLatin1String("openai/clip-vit-base-patch32: not in the Hugging Face cache")),
                 qPrintable(message));
        QVERIFY2(
            message.contains(m_dir->filePath(QStringLiteral("nowhere")) + QStringLiteral(" (chosen by HF_HUB_CACHE)")),
            qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("nothing is downloaded")), qPrintable(message));

        qunsetenv("HF_HUB_CACHE");
        qputenv("HF_HOME", m_dir->filePath(QStringLiteral("nowhere")).toUtf8());
        const QString fromHome = errorOf([] { resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32")); });
        QVERIFY2(fromHome.contains(QLatin1String("chosen by HF_HOME")), qPrintable(fromHome));
    }

    void missingRepositoryNamesItsFolder()
    {
        const QString message = errorOf(
            [] { resolveHubSnapshot(QStringLiteral("tanganke/clip-vit-base-patch32_mnist")); });
        QVERIFY2(message.contains(QStringLiteral("the cache folder %1 (chosen by HF_HUB_CACHE)").arg(hub())),
                 qPrintable(message));
        QVERIFY2(message.contains(hub() + QStringLiteral("/models--tanganke--clip-vit-base-patch32_mnist")),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("repository folder does not exist")), qPrintable(message));
    }

    void unknownRevisionListsTheKnownOnes()
    {
        const QString message = errorOf([] { resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32@v2")); });
        QVERIFY2(message.contains(QLatin1String("no revision 'v2'")), qPrintable(message));
        QVERIFY2(message.contains(repo() + QStringLiteral("/refs/v2")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("refs: main, refs/pr/1, v1.0")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("snapshots: %1, %2").arg(kMainHash, kTagHash)), qPrintable(message));

        const QString byHash = errorOf(
            [] { resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32@") + kMissingHash); });
        QVERIFY2(byHash.contains(QStringLiteral("no snapshot of commit %1").arg(kMissingHash)), qPrintable(byHash));
        QVERIFY2(byHash.contains(repo() + QStringLiteral("/snapshots/") + kMissingHash), qPrintable(byHash));
        QVERIFY2(byHash.contains(QLatin1String("refs: main")), qPrintable(byHash));
    }

    void refsToAMissingSnapshot()
    {
        writeFile(repo() + QStringLiteral("/refs/main"), kMissingHash.toLatin1());
        const QString message = errorOf([] { resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32")); });
        QVERIFY2(message.contains(QStringLiteral("refs/main names commit %1").arg(kMissingHash)), qPrintable(message));
        QVERIFY2(message.contains(repo() + QStringLiteral("/refs/main")), qPrintable(message));
        QVERIFY2(message.contains(repo() + QStringLiteral("/snapshots/") + kMissingHash), qPrintable(message));
        QVERIFY2(message.contains(kTagHash), qPrintable(message));
    }

    void malformedRefsFile()
    {
        writeFile(repo() + QStringLiteral("/refs/main"), "not a hash\n");
        const QString message = errorOf([] { resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32")); });
        QVERIFY2(message.contains(QLatin1String("refs/main is malformed")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("'not a hash'")), qPrintable(message));

        // A refs file as large as a model is not read whole.
        writeFile(repo() + QStringLiteral("/refs/main"), QByteArray(1 << 20, 'a'));
        const QString large = errorOf([] { resolveHubSnapshot(QStringLiteral("openai/clip-vit-base-patch32")); });
        QVERIFY2(large.contains(QLatin1String("refs/main cannot be read")), qPrintable(large));
    }

    void localFolderWinsOverTheCache()
    {
        QTemporaryDir base;
        QVERIFY(base.isValid());
        const QString hubLike = QStringLiteral("openai/clip-vit-base-patch32");
        QCOMPARE(resolveModelLocation(hubLike, base.path()), repo() + QStringLiteral("/snapshots/") + kMainHash);
        QVERIFY(QDir(base.path()).mkpath(hubLike));
        QCOMPARE(resolveModelLocation(hubLike, base.path()), base.filePath(hubLike));
        // Absolute paths are taken as they are.
        QCOMPARE(resolveModelLocation(repo(), base.path()), repo());
    }

    void missingModelSaysWhatWasSearched()
    {
        QTemporaryDir base;
        QVERIFY(base.isValid());
        const QString plain = errorOf([&] { resolveModelLocation(QStringLiteral("pool/models/mnist"), base.path()); });
        QCOMPARE(plain, QStringLiteral("pool/models/mnist: no such file or folder (%1)")
                            .arg(base.filePath(QStringLiteral("pool/models/mnist"))));
        const QString relative = errorOf([&] { resolveModelLocation(QStringLiteral("./mnist"), base.path()); });
        QVERIFY2(!relative.contains(QLatin1String("Hugging Face")), qPrintable(relative));

        const QString hubLike = errorOf(
            [&] { resolveModelLocation(QStringLiteral("tanganke/clip-vit-base-patch32_mnist"), base.path()); });
        QVERIFY2(hubLike.startsWith(QStringLiteral("tanganke/clip-vit-base-patch32_mnist: no such file or folder (%1)")
                                        .arg(base.filePath(QStringLiteral("tanganke/clip-vit-base-patch32_mnist")))),
                 qPrintable(hubLike));
        QVERIFY2(hubLike.contains(QLatin1String("as a Hugging Face hub name it is not in the Hugging Face cache")),
                 qPrintable(hubLike));
        QVERIFY2(hubLike.contains(hub() + QStringLiteral("/models--tanganke--clip-vit-base-patch32_mnist")),
                 qPrintable(hubLike));
        QVERIFY(!errorOf([&] { resolveModelLocation(QString(), base.path()); }).isEmpty());
    }

    void hubNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        const auto row = [](const char *text, bool accepted) {
            QTest::newRow(text) << QString::fromUtf8(text) << accepted;
        };
        row("openai/clip-vit-base-patch32", true);
        row("tanganke/clip-vit-base-patch32_stanford-cars", true);
        row("org/name@main", true);
        row("org/name@v1.0", true);
        row("org/name@refs/pr/1", true);
        row("org/name@0123456789abcdef0123456789abcdef01234567", true);
        row("Org_9/N.a-m_e", true);
        row("a/b", true);
        row("", false);
        row("name", false);           // no organisation: could be any local folder
        row("org/name/extra", false); // a path, not a repo id
        row("/org/name", false);      // absolute
        row("./org", false);
        row("../org/name", false);
        row("org/..", false);
        row("org/na..me", false);
        row("org/na--me", false);
        row("org/name.git", false);
        row("org/-name", false);
        row("org/name-", false);
        row(".org/name", false);
        row("org/name@", false);
        row("org/name@a@b", false);
        row("org/name@../x", false);
        row("org/name@a/../b", false);
        row("org/name@.hidden", false);
        row("org/na me", false);
        row("org/näme", false);
        row("org\\name", false);
        row("org/name\n", false);
        QTest::newRow("97 characters") << QStringLiteral("org/") + QString(97, QLatin1Char('a')) << false;
        QTest::newRow("96 characters") << QStringLiteral("org/") + QString(96, QLatin1Char('a')) << true;
    }

    void hubNames()
    {
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        QCOMPARE(isHubName(text), accepted);
    }

    void parsingHubNames()
    {
        const HubName plain = HubName::parse(QStringLiteral("openai/clip-vit-base-patch32"));
        QCOMPARE(plain.repoId, QStringLiteral("openai/clip-vit-base-patch32"));
        QCOMPARE(plain.revision, QStringLiteral("main"));
        const HubName tagged = HubName::parse(QStringLiteral("org/name@refs/pr/1"));
        QCOMPARE(tagged.repoId, QStringLiteral("org/name"));
        QCOMPARE(tagged.revision, QStringLiteral("refs/pr/1"));
        QCOMPARE(errorOf([] { HubName::parse(QStringLiteral("../x")); }),
                 QStringLiteral("../x: not a Hugging Face hub name (ORG/NAME or ORG/NAME@REVISION)"));
    }
};

QTEST_GUILESS_MAIN(TestHubCache)
#include "test_hub_cache.moc"
