#include "io/staged_folder.h"

#include "common/error.h"
#include "io/path_component.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <cerrno>

namespace wemoe {

StagedFolder::StagedFolder(const QString &target, bool overwrite, const JobContext &context)
    : m_overwrite(overwrite)
{
    const QFileInfo info(target);
    m_target = info.absoluteFilePath();
    const QString name = info.fileName();
    if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String(".."))
        throw Error(target, QCoreApplication::translate("wemoe::Error", "is not a folder name to export into"));
    const QString parentPath = info.absolutePath();
    const QFileInfo parentInfo(parentPath);
    if (!parentInfo.exists())
        throw Error(parentPath,
                    QCoreApplication::translate("wemoe::Error", "the folder to export into does not exist"));
    if (!parentInfo.isDir())
        throw Error(parentPath,
                    QCoreApplication::translate("wemoe::Error", "is not a folder, so nothing can be exported into it"));
    if (info.isSymLink())
        throw Error(m_target, QCoreApplication::translate(
                                  "wemoe::Error", "is a symbolic link; it is not replaced (export into the folder it "
                                                  "points to, or remove the link)"));
    if (info.exists()) {
        if (!overwrite)
            throw Error(m_target, QCoreApplication::translate(
                                      "wemoe::Error", "already exists (allow overwriting or choose another folder)"));
        if (!info.isDir())
            throw Error(m_target, QCoreApplication::translate(
                                      "wemoe::Error", "already exists and is not a folder; it is not replaced"));
    }
    for (const QString &stale : removeStaleStaging(m_target))
        context.warn(QStringLiteral("%1: removed %2, left by an earlier export that did not finish")
                         .arg(m_target, QFileInfo(stale).fileName()));
    m_staging = std::make_unique<StagingSibling>(m_target, StagingSibling::Kind::Folder);
}

StagedFolder::~StagedFolder() = default; // an uncommitted staging folder is removed by StagingSibling

QString StagedFolder::createSubfolder(const QString &name, const QString &source, const QString &what)
{
    requirePathComponent(name, source, what);
    const QDir staging(path());
    const QString folder = staging.filePath(name);
    // Belt and braces: the folder must lie directly inside the staging folder.
    if (QFileInfo(folder).absolutePath() != QFileInfo(path()).absoluteFilePath())
        throw Error(
            source,
            QCoreApplication::translate("wemoe::Error", "%1 '%2' does not stay inside %3").arg(what, name, m_target));
    if (!staging.mkdir(name))
        throw Error(
            QDir(m_target).filePath(name),
            QCoreApplication::translate("wemoe::Error", "cannot create the folder (does %1 appear twice?)").arg(what));
    return folder;
}

void StagedFolder::rethrowNamingTarget() const
{
    try {
        throw;
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        QString message = e.message();
        throw Error(message.replace(path(), m_target));
    }
}

void StagedFolder::commit(const JobContext &context)
{
    context.throwIfCancelled();
    const QString staging = path();
    syncFolder(staging);
    const QString parent = QFileInfo(m_target).absolutePath();
    if (renameWithoutReplacing(staging, m_target)) {
        m_staging->release();
        syncFolder(parent);
        return;
    }
    if (errno != EEXIST && errno != ENOTEMPTY)
        throw Error(m_target,
                    QCoreApplication::translate("wemoe::Error", "cannot move the exported folder into place: %1")
                        .arg(systemErrorText(errno)));
    if (!m_overwrite)
        throw Error(m_target,
                    QCoreApplication::translate("wemoe::Error",
                                                "already exists (another run wrote it meanwhile); it is not replaced"));
    const QFileInfo existing(m_target);
    if (existing.isSymLink() || !existing.isDir())
        throw Error(m_target,
                    QCoreApplication::translate("wemoe::Error", "now exists and is not a folder; it is not replaced"));

    // Swap: the new folder takes the target's name and the old one the
    // staging name, in one step; the old one then goes with the staging sibling.
    if (exchangePaths(staging, m_target)) {
        syncFolder(parent);
        if (!QDir(staging).removeRecursively())
            context.warn(QStringLiteral("%1: exported, but the previous version could not be removed from %2")
                             .arg(m_target, staging));
        m_staging->release();
        return;
    }
    // No RENAME_EXCHANGE here: move the old folder aside first, so a failure
    // part-way leaves it where it was.
    StagingSibling aside(m_target, StagingSibling::Kind::Folder);
    if (!QDir(aside.path()).rmdir(aside.path()) || !QDir().rename(m_target, aside.path()))
        throw Error(m_target,
                    QCoreApplication::translate("wemoe::Error", "cannot move the existing folder aside to replace it"));
    if (!QDir().rename(staging, m_target)) {
        QDir().rename(aside.path(), m_target);
        throw Error(m_target,
                    QCoreApplication::translate("wemoe::Error", "cannot move the exported folder into place from %1")
                        .arg(staging));
    }
    m_staging->release();
    syncFolder(parent);
    // `aside` removes the previous version when it goes out of scope.
}

} // namespace wemoe
