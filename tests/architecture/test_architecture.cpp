// The layering of docs/ARCHITECTURE.md, checked on every source file: the
// engine links no GUI module, studio headers stay free of LibTorch, and each
// folder includes only the folders allowed_includes.txt lists. Also: nothing
// in the repository points outside it.

#include "include_graph.h"

#include "common/error.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace wemoe;
using namespace wemoe::test;

namespace {

// The folder beside the repository that documents once pointed into; spelled
// in parts so that this file does not itself contain the reference it forbids.
const QByteArray kOutsideFolder = QByteArray("..") + "/shared";
const QByteArray kOutsideDocs = QByteArray("shared") + "/docs";

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

class TestArchitecture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The checker finds each kind of violation in a small planted tree (so a
    // clean result on the real tree means something).
    void findsPlantedViolations()
    {
        QTemporaryDir dir;
        const auto path = [&](const char *name) { return dir.filePath(QString::fromLatin1(name)); };
        writeFile(path("core/common/error.h"), "#pragma once\n#include <QtCore/QString>\n");
        writeFile(path("core/io/widget_user.cpp"), "#include \"common/error.h\"\n#include <QtWidgets/QWidget>\n");
        writeFile(path("core/io/reader.h"), "#pragma once\n#include <torch/types.h>\n");
        writeFile(path("core/io/upward.cpp"), "#include \"moe/model.h\"\n");
        writeFile(path("core/moe/model.h"), "#pragma once\n#include \"io/reader.h\"\n");
        writeFile(path("ui/models/clean.h"), "#pragma once\n#include \"common/error.h\"\n");
        writeFile(path("ui/models/heavy.h"), "#pragma once\n#include \"io/reader.h\"\n");
        writeFile(path("ui/stray/thing.cpp"), "#include \"models/clean.h\"\n");
        writeFile(path("rules.txt"), "core/common:\ncore/io: core/common\ncore/moe: core/common core/io\n"
                                     "ui/models: core/common core/io\n");
        const IncludeGraph graph(dir.path());
        QCOMPARE(graph.includes(QStringLiteral("core/moe/model.h")).first().resolved,
                 QStringLiteral("core/io/reader.h"));
        const QStringList violations = architectureViolations(graph, LayerRules::read(path("rules.txt")));
        const QString all = violations.join(QLatin1Char('\n'));
        QCOMPARE(violations.size(), 4);
        QVERIFY2(all.contains(QStringLiteral("core/io/widget_user.cpp:2: core/io includes <QtWidgets/QWidget>")),
                 qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("core/io/upward.cpp:1: core/io includes core/moe")), qPrintable(all));
        QVERIFY2(
            all.contains(QStringLiteral("ui/models/heavy.h: a studio header reaches LibTorch: ui/models/heavy.h -> "
                                        "core/io/reader.h -> <torch/types.h>")),
            qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("the folder ui/stray has no line in the rules")), qPrintable(all));
        QVERIFY(LayerRules::read(path("rules.txt")).allows(QStringLiteral("core/moe"), QStringLiteral("core/io")));
    }

    void theRepositoryKeepsItsLayers()
    {
        const IncludeGraph graph(QStringLiteral(WEMOE_SOURCE_DIR));
        QVERIFY(graph.files().size() > 300); // the scan found the tree
        const QStringList violations = architectureViolations(
            graph, LayerRules::read(QStringLiteral(WEMOE_SOURCE_DIR "/tests/architecture/allowed_includes.txt")));
        QVERIFY2(violations.isEmpty(),
                 qPrintable(QString::number(violations.size()) + QStringLiteral(" violation(s):\n")
                            + violations.join(QLatin1Char('\n'))));
    }

    // Every target of the product lists its sources: a file no CMakeLists.txt names is not built.
    void everySourceIsListed()
    {
        const QDir root(QStringLiteral(WEMOE_SOURCE_DIR));
        const IncludeGraph graph(root.path());
        QStringList unlisted;
        for (const QString &file : graph.files()) {
            if (file.startsWith(
                    QLatin1String("tests/"))) // tests are named by pattern (foreach), helpers are header-only
                continue;
            // The CMakeLists.txt that builds a file: its folder's or the nearest one above.
            QString folder = QFileInfo(file).path();
            while (!QFileInfo::exists(root.filePath(folder + QStringLiteral("/CMakeLists.txt")))
                   && folder.contains(QLatin1Char('/')))
                folder = QFileInfo(folder).path();
            QFile lists(root.filePath(folder + QStringLiteral("/CMakeLists.txt")));
            QVERIFY2(lists.open(QIODevice::ReadOnly), qPrintable(file));
            const QString text = QString::fromUtf8(lists.readAll());
            const QString relative = QDir(root.filePath(folder)).relativeFilePath(root.filePath(file));
            const QString name = QFileInfo(file).fileName();
            const QString stem = QFileInfo(file).completeBaseName();
            // Listed by path or name; tests may be named by their stem (foreach(name ...) ${name}.cpp).
            if (!text.contains(relative) && !text.contains(QStringLiteral(" ") + name)
                && !text.contains(QStringLiteral("\n") + name) && !text.contains(stem))
                unlisted << file;
        }
        QVERIFY2(unlisted.isEmpty(), qPrintable(unlisted.join(QLatin1Char('\n'))));
    }

    // The repository explains itself: no file points at documents beside it.
    void nothingPointsOutsideTheRepository()
    {
        const QDir root(QStringLiteral(WEMOE_SOURCE_DIR));
        QStringList offenders;
        QDirIterator it(root.path(),
                        {QStringLiteral("*.md"), QStringLiteral("*.h"), QStringLiteral("*.cpp"),
                         QStringLiteral("*.txt"), QStringLiteral("*.cmake"), QStringLiteral("*.sh"),
                         QStringLiteral("*.xml")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = root.relativeFilePath(it.next());
            if (file.startsWith(QLatin1String("build")) || file.startsWith(QLatin1String(".git/")))
                continue;
            QFile text(root.filePath(file));
            if (!text.open(QIODevice::ReadOnly))
                continue;
            const QByteArray bytes = text.readAll();
            if (bytes.contains(kOutsideFolder) || bytes.contains(kOutsideDocs))
                offenders << file;
        }
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestArchitecture)
#include "test_architecture.moc"
