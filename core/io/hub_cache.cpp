#include "io/hub_cache.h"

#include "common/error.h"
#include "io/regular_file.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>

namespace wemoe {

namespace {

// A refs file holds a 40-character hash and a newline; anything much larger is not one.
constexpr qint64 kMaxRefsFileBytes = 1024;
// Revisions listed in a miss; a cache with more is summarised.
constexpr int kMaxListedRevisions = 12;

struct CacheLocation
{
    QString folder;
    QString chosenBy; // for messages: which variable (or the default) chose the folder
};

// An unset and an empty variable are the same here: an empty path would mean the
// current folder, which is never what a user who cleared the variable meant.
QString environment(const char *name)
{
    return qEnvironmentVariable(name);
}

// Python's os.path.expanduser then os.path.expandvars, as huggingface_hub applies them:
// a leading ~ becomes the home folder; $NAME and ${NAME} become set variables, and
// unset ones are left as written.
QString expandUserAndVariables(QString path)
{
    if (path == QLatin1String("~") || path.startsWith(QLatin1String("~/")))
        path = QDir::homePath() + path.mid(1);
    static const QRegularExpression variable(QStringLiteral("\\$(\\w+|\\{[^}]*\\})"));
    QString expanded;
    qsizetype from = 0;
    for (auto it = variable.globalMatch(path); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        QString name = match.captured(1);
        if (name.startsWith(QLatin1Char('{')))
            name = name.mid(1, name.size() - 2);
        expanded += path.mid(from, match.capturedStart() - from);
        const QByteArray key = name.toLocal8Bit();
        expanded += qEnvironmentVariableIsSet(key.constData()) ? qEnvironmentVariable(key.constData())
                                                               : match.captured(0);
        from = match.capturedEnd();
    }
    return expanded + path.mid(from);
}

CacheLocation cacheLocation()
{
    if (const QString hubCache = environment("HF_HUB_CACHE"); !hubCache.isEmpty())
        return {expandUserAndVariables(hubCache), QStringLiteral("chosen by HF_HUB_CACHE")};
    if (const QString legacy = environment("HUGGINGFACE_HUB_CACHE"); !legacy.isEmpty())
        return {expandUserAndVariables(legacy), QStringLiteral("chosen by HUGGINGFACE_HUB_CACHE")};
    if (const QString home = environment("HF_HOME"); !home.isEmpty())
        return {expandUserAndVariables(home) + QStringLiteral("/hub"),
                QStringLiteral("$HF_HOME/hub, chosen by HF_HOME")};
    if (const QString xdg = environment("XDG_CACHE_HOME"); !xdg.isEmpty())
        return {expandUserAndVariables(xdg + QStringLiteral("/huggingface")) + QStringLiteral("/hub"),
                QStringLiteral("$XDG_CACHE_HOME/huggingface/hub, chosen by XDG_CACHE_HOME")};
    return {QDir::homePath() + QStringLiteral("/.cache/huggingface/hub"),
            QStringLiteral("the default: none of HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME, XDG_CACHE_HOME is set")};
}

bool isCommitHash(const QString &text)
{
    static const QRegularExpression hash(QRegularExpression::anchoredPattern(QStringLiteral("[0-9a-f]{40}")));
    return hash.match(text).hasMatch();
}

QStringList listed(QStringList names)
{
    names.sort();
    if (names.size() > kMaxListedRevisions) {
        const qsizetype more = names.size() - kMaxListedRevisions;
        names = names.mid(0, kMaxListedRevisions);
        names << QStringLiteral("and %1 more").arg(more);
    }
    return names;
}

// "refs main, v1.0; snapshots 0123…" for a miss: the revisions a user could have meant.
QString existingRevisions(const QString &repoFolder)
{
    QStringList refs;
    const QDir refsFolder(repoFolder + QStringLiteral("/refs"));
    for (QDirIterator it(refsFolder.path(), QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
        refs << refsFolder.relativeFilePath(it.next());
    const QStringList snapshots =
        QDir(repoFolder + QStringLiteral("/snapshots")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    if (refs.isEmpty() && snapshots.isEmpty())
        return QStringLiteral("the cache holds no revision of it (no refs, no snapshots)");
    QStringList parts;
    parts << QStringLiteral("refs: %1")
                 .arg(refs.isEmpty() ? QStringLiteral("none") : listed(refs).join(QStringLiteral(", ")));
    parts << QStringLiteral("snapshots: %1")
                 .arg(snapshots.isEmpty() ? QStringLiteral("none") : listed(snapshots).join(QStringLiteral(", ")));
    return QStringLiteral("revisions in the cache: ") + parts.join(QStringLiteral("; "));
}

// Short, printable: a refs file may hold anything.
QString shownContent(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.left(60)).trimmed();
    for (QChar &c : text) {
        if (!c.isPrint())
            c = QLatin1Char('?');
    }
    return bytes.size() > 60 ? text + QStringLiteral("...") : text;
}

struct HubLookup
{
    QString snapshot; // empty on a miss
    QString problem;  // why not, with every place looked at
};

HubLookup lookUp(const HubName &name, HubRepoKind kind)
{
    const CacheLocation cache = cacheLocation();
    const QString prefix = kind == HubRepoKind::Model ? QStringLiteral("models--") : QStringLiteral("datasets--");
    const QString repoFolder = QDir::cleanPath(cache.folder + QLatin1Char('/') + prefix
                                               + QString(name.repoId).replace(QLatin1Char('/'), QStringLiteral("--")));
    QStringList looked{QStringLiteral("the cache folder %1 (%2)").arg(QDir::cleanPath(cache.folder), cache.chosenBy)};
    const auto miss = [&](const QString &reason, bool listRevisions) {
        QString problem = QStringLiteral("not in the Hugging Face cache (nothing is downloaded): %1; looked at %2")
                              .arg(reason, looked.join(QStringLiteral(", ")));
        if (listRevisions)
            problem += QStringLiteral("; ") + existingRevisions(repoFolder);
        return HubLookup{QString(), problem};
    };

    if (!QFileInfo(cache.folder).isDir())
        return miss(QStringLiteral("the cache folder does not exist"), false);
    looked << QStringLiteral("the repository folder %1").arg(repoFolder);
    if (!QFileInfo(repoFolder).isDir())
        return miss(QStringLiteral("the repository folder does not exist"), false);

    QString hash = name.revision;
    if (!isCommitHash(name.revision)) {
        const QString refFile = repoFolder + QStringLiteral("/refs/") + name.revision;
        looked << refFile;
        if (!QFileInfo(refFile).isFile())
            return miss(QStringLiteral("no revision '%1' (refs/%1 does not exist)").arg(name.revision), true);
        QByteArray content;
        try {
            content = readRegularFile(refFile, kMaxRefsFileBytes);
        } catch (const Error &error) {
            return miss(QStringLiteral("refs/%1 cannot be read: %2").arg(name.revision, error.message()), false);
        }
        hash = QString::fromLatin1(content.trimmed());
        if (!isCommitHash(hash))
            return miss(QStringLiteral("refs/%1 is malformed: it should hold a 40-hex commit hash but holds '%2'")
                            .arg(name.revision, shownContent(content)),
                        false);
    }
    const QString snapshot = repoFolder + QStringLiteral("/snapshots/") + hash;
    looked << snapshot;
    if (!QFileInfo(snapshot).isDir()) {
        const QString reason = hash == name.revision
                                   ? QStringLiteral("no snapshot of commit %1").arg(hash)
                                   : QStringLiteral("refs/%1 names commit %2, which has no snapshot folder (an "
                                                    "interrupted download?)")
                                         .arg(name.revision, hash);
        return miss(reason, true);
    }
    return {snapshot, QString()};
}

} // namespace

QString hubCacheFolder()
{
    return QDir::cleanPath(cacheLocation().folder);
}

bool isHubName(const QString &text)
{
    // A part: 1 to 96 of [A-Za-z0-9_.-], starting and ending with [A-Za-z0-9_]
    // (huggingface_hub's repo-id rule, ASCII as the Hub's names are). A revision:
    // git-like ref components ("main", "v1.0", "refs/pr/1", a commit hash).
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(
        QStringLiteral("(?<org>[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?)"
                       "/(?<name>[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?)"
                       "(?:@(?<revision>[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*))?")));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return false;
    const QString repoId = match.captured(QStringLiteral("org")) + QLatin1Char('/')
                           + match.captured(QStringLiteral("name"));
    const QString revision = match.captured(QStringLiteral("revision"));
    return !repoId.contains(QLatin1String("--")) && !repoId.contains(QLatin1String(".."))
           && !repoId.endsWith(QLatin1String(".git")) && !revision.contains(QLatin1String(".."))
           && revision.size() <= 255;
}

HubName HubName::parse(const QString &text)
{
    if (!isHubName(text))
        throw Error(text, QCoreApplication::translate("wemoe::Error",
                                                      "not a Hugging Face hub name (ORG/NAME or ORG/NAME@REVISION)"));
    const qsizetype at = text.indexOf(QLatin1Char('@'));
    if (at < 0)
        return {text, QStringLiteral("main")};
    return {text.left(at), text.mid(at + 1)};
}

QString resolveHubSnapshot(const QString &hubName, HubRepoKind kind)
{
    const HubLookup lookup = lookUp(HubName::parse(hubName), kind);
    if (lookup.snapshot.isEmpty())
        throw Error(hubName, lookup.problem);
    return lookup.snapshot;
}

QString resolveModelLocation(const QString &written, const QString &baseFolder)
{
    if (written.isEmpty())
        throw Error(QCoreApplication::translate("wemoe::Error", "a model path is empty"));
    const QString local = QDir::cleanPath(QDir(baseFolder).absoluteFilePath(written));
    if (QFileInfo::exists(local))
        return local;
    const QString missing = written == local
                                ? QCoreApplication::translate("wemoe::Error", "no such file or folder")
                                : QCoreApplication::translate("wemoe::Error", "no such file or folder (%1)").arg(local);
    if (!isHubName(written))
        throw Error(written, missing);
    const HubLookup lookup = lookUp(HubName::parse(written), HubRepoKind::Model);
    if (lookup.snapshot.isEmpty())
        throw Error(written, QCoreApplication::translate("wemoe::Error", "%1, and as a Hugging Face hub name it is %2")
                                 .arg(missing, lookup.problem));
    return lookup.snapshot;
}

} // namespace wemoe
