#include "common/printable_text.h"

namespace wemoe {

bool isControlCharacter(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

QString printableText(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!isControlCharacter(u) || u == u'\n' || u == u'\t') {
            out.append(c);
        } else if (u == u'\r') {
            out.append(QLatin1String("\\r"));
        } else {
            out.append(QStringLiteral("\\x%1").arg(static_cast<unsigned>(u), 2, 16, QLatin1Char('0')));
        }
    }
    return out;
}

} // namespace wemoe
