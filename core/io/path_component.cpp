#include "io/path_component.h"

#include "common/error.h"
#include "common/printable_text.h"

namespace wemoe {

QString pathComponentProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("it is empty");
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return QStringLiteral("it names a folder itself");
    for (const QChar c : name) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\'))
            return QStringLiteral("it contains the path separator '%1'").arg(c);
        if (isControlCharacter(c.unicode()))
            return QStringLiteral("it contains the control character U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    }
    if (name.startsWith(QLatin1Char('.')))
        return QStringLiteral("it starts with '.' (a hidden name)");
    const qsizetype bytes = name.toUtf8().size();
    if (bytes > kMaxPathComponentBytes)
        return QStringLiteral("it is %1 bytes long, more than %2").arg(bytes).arg(kMaxPathComponentBytes);
    return {};
}

void requirePathComponent(const QString &name, const QString &file, const QString &what)
{
    const QString problem = pathComponentProblem(name);
    if (!problem.isEmpty())
        throw Error(file, QStringLiteral("%1 '%2' cannot be a file or folder name: %3")
                              .arg(what, printableText(name.left(300)), problem));
}

} // namespace wemoe
