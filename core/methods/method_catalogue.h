#pragma once

#include "methods/parameter.h"

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe {

// One method the engine runs, described once. The CLI's parser and --help,
// the studio's methods panel, session files and the benchmark all read it
// from here, so a method or a parameter is added in one place
// (docs/ARCHITECTURE.md shows how).
struct MethodDescription
{
    enum class Kind {
        Reference, // pretrained, individual: the table's bounds, nothing merged
        Merge,     // a static merge of the task models' weights
        DataMerge, // a merge computed from statistics of a few images per task (RegMean, Fisher)
        Adaptive,  // learns on the pool's unlabeled test images, then is evaluated
    };

    QString name;        // as written on the command line and in files: "ties"
    QStringList aliases; // other names accepted when reading
    Kind kind = Kind::Merge;
    const char *title = "";     // translatable: "TIES merging"
    const char *summary = "";   // translatable: what it computes, in one or two sentences
    bool inDefaultRun = false;  // evaluated when no method is named (CLI eval, a new studio session)
    bool buildsOneModel = true; // false for individual: one model per task, nothing to export
    // wemoe: the task vectors' MLPs become the experts of an upscaled model
    // (core/moe), adapted, captured and exported as such, not a plain merge.
    bool upscales = false;
    QVector<Parameter> parameters;

    const Parameter *parameter(const QString &key) const;
    bool adapts() const { return kind == Kind::Adaptive; }
    // A static merge with a scaling factor λ: what a λ sweep can run.
    bool sweepable() const { return kind == Kind::Merge && parameter(QStringLiteral("lambda")) != nullptr; }
};

// Every method, in the order of the accuracy table and the methods panel.
const QVector<MethodDescription> &methodCatalogue();
// The method named `name` or one of its aliases; null when there is none.
const MethodDescription *findMethod(const QString &name);
// The same, throwing wemoe::Error that lists the known names.
const MethodDescription &describeMethod(const QString &name);
// The names of the methods of one kind (all kinds when none is given).
QStringList methodNames();
QStringList methodNames(MethodDescription::Kind kind);
// The methods a λ sweep can run (MethodDescription::sweepable).
QStringList sweepableMethodNames();

// --help's list of the methods of `kinds` with their parameters, defaults and ranges.
QString methodSyntaxHelp(const QVector<MethodDescription::Kind> &kinds);

} // namespace wemoe
