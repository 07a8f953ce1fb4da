#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// What a zero-shot head is built from (core/text/zero_shot_head.h): class
// names and the prompt templates they are put into. Pools ("zero_shot") and
// `wemoe heads` describe it the same way.
struct ZeroShotHeadSpec
{
    QStringList classNames;  // as the head names them (the test folders' names when read from there)
    QStringList promptNames; // what fills the templates' {} ("sea_lake" -> "sea lake" from folders)
    QStringList templates;   // each with {} where the class name goes
    QJsonObject written;     // a pool's "zero_shot" object as written, for saving the pool
};

// "a photo of a {}.", CLIP's plain prompt.
QString defaultZeroShotTemplate();

// The non-empty, trimmed lines of a UTF-8 text file (a class or template
// list); throws wemoe::Error naming the file when it is missing, too large or empty.
QStringList readListFile(const QString &path);

// Sets classNames to `names` and promptNames to the same with '_' read as a
// space ("sea_lake" -> "sea lake").
void takeClassNames(ZeroShotHeadSpec &spec, const QStringList &names);

// Sets classNames to the class folders of an image folder (sorted, as
// torchvision's ImageFolder numbers them) and promptNames to the same with
// '_' read as a space. Throws wemoe::Error naming the folder when it has none.
void takeClassesFromFolder(ZeroShotHeadSpec &spec, const QString &folder);

// The problem with a spec (too many classes or templates, a class named
// twice, a template without {}), or an empty string.
QString zeroShotSpecProblem(const ZeroShotHeadSpec &spec);

} // namespace wemoe
