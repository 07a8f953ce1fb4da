#pragma once

#include "io/staging.h"
#include "jobs/job_context.h"

#include <QtCore/QString>

#include <memory>

namespace wemoe {

// An output folder that appears whole or not at all. Everything is written
// into a locked hidden sibling (staging.h) which takes the target's place in
// one rename at commit(); until then the target is untouched, and a failure,
// a cancel or a destruction without commit() removes the sibling again.
//
// The overwrite decision is made at the moment of the rename: without
// overwrite the rename itself refuses an existing target (RENAME_NOREPLACE),
// so of two runs writing the same folder one succeeds and the other fails,
// instead of the second silently replacing the first. With overwrite an
// existing folder is swapped out atomically and then removed.
class StagedFolder
{
public:
    // Checks the target (a plain name in an existing folder; not a file or a
    // symbolic link; absent unless `overwrite`), removes staging folders that
    // killed earlier runs left for the same target (warning about each), and
    // creates a new one. Throws wemoe::Error naming the target.
    StagedFolder(const QString &target, bool overwrite, const JobContext &context = {});
    ~StagedFolder();
    StagedFolder(const StagedFolder &) = delete;
    StagedFolder &operator=(const StagedFolder &) = delete;

    const QString &target() const { return m_target; }
    // The staging folder, to write into.
    const QString &path() const { return m_staging->path(); }

    // Creates <staging>/<name> and returns its path. `name` comes from files
    // (a task name), so it must be one path component (path_component.h);
    // `source` and `what` name it in the error.
    QString createSubfolder(const QString &name, const QString &source, const QString &what);

    // Syncs the staging folder and moves it into place (see above).
    void commit(const JobContext &context = {});

    // Call inside a catch block around writes into path(): rethrows the
    // current exception, with a wemoe::Error's message naming the target
    // instead of the hidden staging folder ("OUT/model.safetensors: cannot
    // write: No space left on device").
    [[noreturn]] void rethrowNamingTarget() const;

private:
    QString m_target;
    bool m_overwrite;
    std::unique_ptr<StagingSibling> m_staging;
};

} // namespace wemoe
