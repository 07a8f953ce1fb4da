#pragma once

#include <QtCore/QString>

namespace wemoe::ui {

// What a file or folder dropped on the window (or named on the command line) is.
struct DroppedFile
{
    enum class Kind {
        Pool,         // a pool file (JSON, FusionBench YAML), or a folder holding pool.json: open it
        Session,      // a studio session: restore it
        Model,        // a model folder (config.json / .safetensors / .bin): show it in the workspace
        Coefficients, // AdaMerging's learned λ (adamerging-coefficients.json): show them
        Unknown,      // a folder that holds neither; `path` says which
    };
    Kind kind = Kind::Unknown;
    QString path; // the file to open (the pool.json, the session) or the model folder

    // A JSON file is a session when it says so ("format": "wemoe-studio-session")
    // or ends in .wemoe-session.json, and AdaMerging coefficients when it holds
    // "groups" and "coefficients" (as exports write them); anything else
    // unrecognised is taken for a pool (opening it reports what is wrong).
    static DroppedFile classify(const QString &path);
};

// ".wemoe-session.json", the suffix sessions are saved with.
QString sessionFileSuffix();

} // namespace wemoe::ui
