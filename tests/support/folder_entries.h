#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe::test {

// Every entry of `folder`, hidden and special ones included, sorted by name:
// what "nothing was left behind" is checked against.
QStringList entriesOf(const QString &folder);

} // namespace wemoe::test
