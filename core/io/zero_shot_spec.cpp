#include "io/zero_shot_spec.h"

#include "common/error.h"
#include "io/regular_file.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>

namespace wemoe {

namespace {

// ImageNet-21k has 21841 classes; published prompt lists run to about 80 templates.
constexpr int kMaxClasses = 100000;
constexpr int kMaxTemplates = 1000;
constexpr qint64 kMaxListFileBytes = 16LL * 1024 * 1024;

} // namespace

QString defaultZeroShotTemplate()
{
    return QStringLiteral("a photo of a {}.");
}

QStringList readListFile(const QString &path)
{
    // Anything that exists goes to the bounded reader, which refuses FIFOs and devices.
    if (!QFileInfo::exists(path) && !QFileInfo(path).isSymLink())
        throw Error(path, QStringLiteral("does not exist (expected a text file with one entry per line)"));
    QStringList items;
    for (const QString &line : QString::fromUtf8(readRegularFile(path, kMaxListFileBytes)).split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            items << trimmed;
    }
    if (items.isEmpty())
        throw Error(path, QStringLiteral("holds no lines"));
    return items;
}

void takeClassesFromFolder(ZeroShotHeadSpec &spec, const QString &folder)
{
    const QStringList folders = QDir(folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    if (folders.isEmpty())
        throw Error(folder, QStringLiteral("has no class folders to take the zero-shot classes from"));
    takeClassNames(spec, folders);
}

void takeClassNames(ZeroShotHeadSpec &spec, const QStringList &names)
{
    spec.classNames = names;
    spec.promptNames.clear();
    for (const QString &name : names)
        spec.promptNames << QString(name).replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString zeroShotSpecProblem(const ZeroShotHeadSpec &spec)
{
    if (spec.classNames.isEmpty())
        return QStringLiteral("no classes");
    if (spec.classNames.size() > kMaxClasses)
        return QStringLiteral("%1 classes (at most %2)").arg(spec.classNames.size()).arg(kMaxClasses);
    if (spec.promptNames.size() != spec.classNames.size())
        return QStringLiteral("%1 prompt names for %2 classes")
            .arg(spec.promptNames.size())
            .arg(spec.classNames.size());
    QSet<QString> seen;
    for (const QString &name : spec.classNames) {
        if (name.trimmed().isEmpty())
            return QStringLiteral("an empty class name");
        if (seen.contains(name))
            return QStringLiteral("the class '%1' appears twice").arg(name);
        seen.insert(name);
    }
    if (spec.templates.isEmpty())
        return QStringLiteral("no templates");
    if (spec.templates.size() > kMaxTemplates)
        return QStringLiteral("%1 templates (at most %2)").arg(spec.templates.size()).arg(kMaxTemplates);
    for (const QString &text : spec.templates) {
        if (!text.contains(QLatin1String("{}")))
            return QStringLiteral("the template '%1' has no {} for the class name").arg(text);
    }
    return QString();
}

} // namespace wemoe
