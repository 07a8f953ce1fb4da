#pragma once

#include <QtCore/QString>

namespace wemoe {

// Control characters: C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
bool isControlCharacter(char16_t c);

// `text` with every control character except newline and tab written as a
// visible escape ("\x1b", "\r"), so a name read from a file (a task name, a
// tensor name, a path) cannot move the cursor, recolour or clear a terminal
// when it is printed.
QString printableText(const QString &text);

} // namespace wemoe
