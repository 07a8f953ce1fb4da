#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// Every output is first written into a hidden sibling of its target,
// ".<name>.partial-<8 hex>", that replaces the target in one rename. The
// writer holds an advisory lock (flock) on the sibling for as long as it
// lives, so a sibling whose lock can be taken was left by a run that was
// killed (SIGKILL, a power cut): the next run writing the same target removes
// those, and nothing else.

// An open, locked, hidden sibling of `target`: a file or a folder.
class StagingSibling
{
public:
    enum class Kind { File, Folder };

    // Creates the sibling under a setup name, locks it, then renames it to its
    // ".partial-" name, so a cleaner never sees an unlocked ".partial-" of a
    // live writer. Throws wemoe::Error naming the target on failure.
    StagingSibling(const QString &target, Kind kind);
    // Closes the descriptor (releasing the lock); removes the sibling unless
    // it was released.
    ~StagingSibling();
    StagingSibling(const StagingSibling &) = delete;
    StagingSibling &operator=(const StagingSibling &) = delete;

    const QString &path() const { return m_path; }
    int descriptor() const { return m_fd; }
    // After the sibling has been renamed into place: nothing left to remove.
    void release() { m_path.clear(); }

private:
    QString m_path;
    Kind m_kind;
    int m_fd = -1;
};

// Removes the ".partial-" siblings of `target` whose writers are gone.
// Returns their paths.
QStringList removeStaleStaging(const QString &target);

// Renames `from` to `to` only when `to` does not exist, atomically where the
// file system can (renameat2 RENAME_NOREPLACE); returns false with errno
// EEXIST when `to` exists.
bool renameWithoutReplacing(const QString &from, const QString &to);

// Swaps two existing paths atomically (renameat2 RENAME_EXCHANGE); returns
// false (errno EINVAL or ENOSYS) where the file system cannot.
bool exchangePaths(const QString &a, const QString &b);

// Flushes a folder's entries (a rename into it) to disk; errors are ignored,
// as some file systems cannot sync folders.
void syncFolder(const QString &folder);

} // namespace wemoe
