#pragma once

#include <QtCore/QHash>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe::test {

// One #include of a source file.
struct Include
{
    int line = 0;
    QString text;        // as written: "io/checkpoint.h" or <torch/types.h>
    bool system = false; // <...>
    QString resolved;    // the project file it names (relative to the root); empty for system headers
};

// The project's C++ sources (core/, zoo/, ui/, app/, bench/, tests/) and what
// each includes, resolved the way the build's include paths resolve them.
class IncludeGraph
{
public:
    explicit IncludeGraph(const QString &root);

    QStringList files() const { return m_files; } // relative to the root, sorted
    const QVector<Include> &includes(const QString &file) const;
    // The folder a file belongs to for the layering: core/io, ui/panels, ui, app/wemoe, tests/io, zoo, bench.
    static QString folderOf(const QString &file);
    // The first system header matching one of `prefixes` that `file` reaches
    // through project includes, with the chain that leads there ("a.h -> b.h -> <torch/types.h>").
    QString reachedSystemHeader(const QString &file, const QStringList &prefixes) const;

private:
    QString resolve(const QString &from, const QString &include) const;

    QString m_root;
    QStringList m_files;
    QHash<QString, QVector<Include>> m_includes;
};

// The allowed folder edges (allowed_includes.txt): folder -> folders it may include.
struct LayerRules
{
    QHash<QString, QStringList> allowed;         // patterns may end in "/*"
    static LayerRules read(const QString &file); // throws wemoe::Error
    bool allows(const QString &from, const QString &to) const;
};

// Every broken rule, one line each ("core/io/a.cpp:12: ..."):
// - an engine file (core/) or one of the studio's job queue (ui/queue/) that
//   includes QtGui, QtWidgets or another GUI module;
// - a studio header (ui/**.h) that reaches LibTorch through its includes;
// - an include from one folder into another the rules do not allow.
QStringList architectureViolations(const IncludeGraph &graph, const LayerRules &rules);

} // namespace wemoe::test
