#include "folder_entries.h"

#include <QtCore/QDir>

namespace wemoe::test {

QStringList entriesOf(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace wemoe::test
