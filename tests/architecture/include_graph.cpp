#include "include_graph.h"

#include "common/error.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

namespace wemoe::test {

namespace {

const QStringList kSourceFolders{QStringLiteral("core"), QStringLiteral("zoo"),   QStringLiteral("ui"),
                                 QStringLiteral("app"),  QStringLiteral("bench"), QStringLiteral("tests")};

// The include paths of the build, relative to the root: core/ for the engine's
// "io/x.h", the root for "zoo/x.h", ui/ for the studio's "panels/x.h".
const QStringList kIncludeRoots{QStringLiteral("core"), QString(), QStringLiteral("ui")};

const QStringList kGuiModules{QStringLiteral("QtGui/"),       QStringLiteral("QtWidgets/"),
                              QStringLiteral("QtSvg"),        QStringLiteral("QtPrintSupport/"),
                              QStringLiteral("QtConcurrent"), QStringLiteral("qcustomplot")};
const QStringList kTorchHeaders{QStringLiteral("torch/"), QStringLiteral("ATen/"), QStringLiteral("c10/")};

bool startsWithAny(const QString &text, const QStringList &prefixes)
{
    for (const QString &prefix : prefixes) {
        if (text.startsWith(prefix))
            return true;
    }
    return false;
}

} // namespace

IncludeGraph::IncludeGraph(const QString &root)
    : m_root(root)
{
    const QDir base(root);
    for (const QString &folder : kSourceFolders) {
        QDirIterator it(base.filePath(folder), {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            m_files << base.relativeFilePath(it.next());
    }
    m_files.sort();
    static const QRegularExpression include(QStringLiteral(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])"));
    for (const QString &file : m_files) {
        QFile source(base.filePath(file));
        if (!source.open(QIODevice::ReadOnly))
            throw Error(file, QStringLiteral("cannot read"));
        QVector<Include> found;
        int line = 0;
        for (const QByteArray &text : source.readAll().split('\n')) {
            ++line;
            const auto match = include.match(QString::fromUtf8(text));
            if (!match.hasMatch())
                continue;
            Include inc;
            inc.line = line;
            inc.system = match.captured(1) == QLatin1String("<");
            inc.text = match.captured(2);
            if (!inc.system)
                inc.resolved = resolve(file, inc.text);
            found.append(inc);
        }
        m_includes.insert(file, found);
    }
}

QString IncludeGraph::resolve(const QString &from, const QString &include) const
{
    const QDir base(m_root);
    const QString sameFolder = QDir::cleanPath(QFileInfo(from).path() + QLatin1Char('/') + include);
    if (QFileInfo::exists(base.filePath(sameFolder)))
        return sameFolder;
    for (const QString &root : kIncludeRoots) {
        const QString candidate = root.isEmpty() ? include : root + QLatin1Char('/') + include;
        if (QFileInfo::exists(base.filePath(candidate)))
            return candidate;
    }
    // A test's shared helpers (tests/support, another test folder's utilities) by name.
    if (!include.contains(QLatin1Char('/'))) {
        for (const QString &file : m_files) {
            if (file.startsWith(QLatin1String("tests/")) && QFileInfo(file).fileName() == include)
                return file;
        }
    }
    return {}; // generated (moc, autogen) or not the project's
}

const QVector<Include> &IncludeGraph::includes(const QString &file) const
{
    static const QVector<Include> none;
    const auto it = m_includes.find(file);
    return it == m_includes.end() ? none : *it;
}

QString IncludeGraph::folderOf(const QString &file)
{
    const QStringList parts = file.split(QLatin1Char('/'));
    if (parts.first() == QLatin1String("zoo") || parts.first() == QLatin1String("bench"))
        return parts.first();
    if (parts.first() == QLatin1String("ui") && parts.size() == 2)
        return QStringLiteral("ui");
    return parts.size() >= 3 ? parts.at(0) + QLatin1Char('/') + parts.at(1) : parts.first();
}

QString IncludeGraph::reachedSystemHeader(const QString &file, const QStringList &prefixes) const
{
    // Breadth first, so the chain reported is a shortest one.
    QHash<QString, QString> chain{{file, file}};
    QStringList queue{file};
    while (!queue.isEmpty()) {
        const QString current = queue.takeFirst();
        for (const Include &inc : includes(current)) {
            if (inc.system && startsWithAny(inc.text, prefixes))
                return chain.value(current) + QStringLiteral(" -> <") + inc.text + QLatin1Char('>');
            if (!inc.resolved.isEmpty() && !chain.contains(inc.resolved)) {
                chain.insert(inc.resolved, chain.value(current) + QStringLiteral(" -> ") + inc.resolved);
                queue.append(inc.resolved);
            }
        }
    }
    return {};
}

LayerRules LayerRules::read(const QString &file)
{
    QFile rules(file);
    if (!rules.open(QIODevice::ReadOnly))
        throw Error(file, QStringLiteral("cannot read"));
    LayerRules result;
    int line = 0;
    for (const QByteArray &raw : rules.readAll().split('\n')) {
        ++line;
        const QString text = QString::fromUtf8(raw).section(QLatin1Char('#'), 0, 0).trimmed();
        if (text.isEmpty())
            continue;
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            throw Error(file, QStringLiteral("line %1: expected 'folder: folders'").arg(line));
        result.allowed.insert(text.left(colon).trimmed(),
                              text.mid(colon + 1).split(QLatin1Char(' '), Qt::SkipEmptyParts));
    }
    return result;
}

bool LayerRules::allows(const QString &from, const QString &to) const
{
    const auto matches = [](const QString &pattern, const QString &folder) {
        if (pattern.endsWith(QLatin1String("/*")))
            return folder.startsWith(pattern.chopped(1));
        return folder == pattern;
    };
    for (auto it = allowed.begin(); it != allowed.end(); ++it) {
        if (!matches(it.key(), from))
            continue;
        for (const QString &target : it.value()) {
            if (matches(target, to))
                return true;
        }
    }
    return false;
}

QStringList architectureViolations(const IncludeGraph &graph, const LayerRules &rules)
{
    QStringList violations;
    QSet<QString> unknownFolders;
    for (const QString &file : graph.files()) {
        const QString folder = IncludeGraph::folderOf(file);
        bool listed = false;
        for (auto it = rules.allowed.begin(); it != rules.allowed.end() && !listed; ++it)
            listed = it.key() == folder
                     || (it.key().endsWith(QLatin1String("/*")) && folder.startsWith(it.key().chopped(1)));
        if (!listed) {
            if (!unknownFolders.contains(folder))
                violations << QStringLiteral("%1: the folder %2 has no line in the rules").arg(file, folder);
            unknownFolders.insert(folder);
            continue;
        }
        // The engine and the studio's job queue are QtCore code.
        const bool engine = file.startsWith(QLatin1String("core/")) || file.startsWith(QLatin1String("ui/queue/"));
        for (const Include &inc : graph.includes(file)) {
            const QString where = QStringLiteral("%1:%2: ").arg(file).arg(inc.line);
            if (inc.system) {
                if (engine && startsWithAny(inc.text, kGuiModules))
                    violations << where
                                      + QStringLiteral("%1 includes <%2> (it is QtCore code: no GUI module)")
                                            .arg(folder, inc.text);
                continue;
            }
            if (inc.resolved.isEmpty())
                continue;
            const QString target = IncludeGraph::folderOf(inc.resolved);
            if (target != folder && !rules.allows(folder, target))
                violations << where
                                  + QStringLiteral("%1 includes %2 (\"%3\"), which the rules do not allow")
                                        .arg(folder, target, inc.text);
        }
        if (file.startsWith(QLatin1String("ui/")) && file.endsWith(QLatin1String(".h"))) {
            const QString chain = graph.reachedSystemHeader(file, kTorchHeaders);
            if (!chain.isEmpty())
                violations << file + QStringLiteral(": a studio header reaches LibTorch: ") + chain;
        }
    }
    return violations;
}

} // namespace wemoe::test
