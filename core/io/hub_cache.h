#pragma once

#include <QtCore/QString>

namespace wemoe {

// Models and data sets named the way Hugging Face names them ("openai/clip-vit-base-patch32",
// "tanganke/clip-vit-base-patch32_sun397@main"), found in the local Hugging Face cache that
// huggingface_hub fills. Nothing is ever downloaded: a name that is not in the cache is an
// error that says where it was looked for.

// The cache keeps a repository in models--ORG--NAME or datasets--ORG--NAME.
enum class HubRepoKind { Model, Dataset };

// The cache folder, chosen as huggingface_hub chooses it: $HF_HUB_CACHE, else the legacy
// $HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
// ~/.cache/huggingface/hub (a leading ~ and $VARIABLES are expanded, as Python does).
QString hubCacheFolder();

// Whether `text` is exactly "ORG/NAME" or "ORG/NAME@REV" with the characters Hugging Face
// allows in repository ids (letters, digits, '-', '_', '.'; no part starts or ends with '-'
// or '.'; no "--" or ".."; at most 96 characters a part). Anything else is refused, so an
// absolute path, "../x" or "./x" is never taken for a hub name.
bool isHubName(const QString &text);

struct HubName
{
    QString repoId;   // "ORG/NAME"
    QString revision; // a branch, a tag or a commit hash; "main" when not given

    // Splits "ORG/NAME[@REV]"; throws wemoe::Error naming `text` when !isHubName(text).
    static HubName parse(const QString &text);
};

// The snapshot folder of a hub name in the cache: refs/<REV> (a branch or tag, a file that
// holds a commit hash) leads to snapshots/<HASH>; a full 40-hex commit hash names
// snapshots/<HASH> directly. A miss throws wemoe::Error naming the hub name and listing
// every place looked at: the cache folder (and the variable that chose it), the repository
// folder, refs/<REV>, snapshots/<HASH>, and for an unknown revision the ones that exist.
QString resolveHubSnapshot(const QString &hubName, HubRepoKind kind = HubRepoKind::Model);

// Where a model written by a user (in a pool file, on the command line) is: `written`
// against `baseFolder` when that exists (a local folder named like a hub name wins over
// the cache), else the snapshot of a hub name, else wemoe::Error saying that the path
// does not exist and, for a hub name, what the cache lookup searched.
QString resolveModelLocation(const QString &written, const QString &baseFolder);

} // namespace wemoe
