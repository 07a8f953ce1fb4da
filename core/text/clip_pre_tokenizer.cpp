#include "text/clip_pre_tokenizer.h"

#include <QtCore/QChar>

#include <array>

namespace wemoe {

namespace {

enum class Kind { Space, Letter, Number, Other };

constexpr char32_t kYpogegrammeni = 0x345;

Kind kindOf(char32_t c)
{
    if (QChar::isSpace(c) || c == kYpogegrammeni)
        return Kind::Space;
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other: return Kind::Letter;
    case QChar::Number_DecimalDigit:
    case QChar::Number_Letter:
    case QChar::Number_Other: return Kind::Number;
    default: return Kind::Other;
    }
}

// The code point at `i` and its length in UTF-16 units (a lone surrogate is
// one unit, of category Other_Surrogate).
char32_t codePointAt(QStringView text, qsizetype i, qsizetype *width)
{
    const QChar c = text[i];
    if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
        *width = 2;
        return QChar::surrogateToUcs4(c, text[i + 1]);
    }
    *width = 1;
    return c.unicode();
}

// The literal alternatives, tried in the pattern's order before the classes.
const std::array<QStringView, 9> kLiterals = {
    u"<|startoftext|>", u"<|endoftext|>", u"'s", u"'t", u"'re", u"'ve", u"'m", u"'ll", u"'d",
};

// The length of `literal` matched case-insensitively at `i`, or 0.
qsizetype literalAt(QStringView text, qsizetype i, QStringView literal)
{
    qsizetype at = i;
    for (const QChar expected : literal) {
        if (at >= text.size())
            return 0;
        qsizetype width = 0;
        if (QChar::toCaseFolded(codePointAt(text, at, &width)) != expected.unicode())
            return 0;
        at += width;
    }
    return at - i;
}

} // namespace

std::vector<QStringView> splitClipWords(QStringView text)
{
    std::vector<QStringView> words;
    qsizetype i = 0;
    while (i < text.size()) {
        qsizetype width = 0;
        const Kind kind = kindOf(codePointAt(text, i, &width));
        if (kind == Kind::Space) {
            i += width;
            continue;
        }
        qsizetype length = 0;
        for (const QStringView literal : kLiterals) {
            if ((length = literalAt(text, i, literal)) > 0)
                break;
        }
        if (length == 0) {
            length = width;
            // Letters and other characters run on; a number is one character.
            if (kind != Kind::Number) {
                while (i + length < text.size()) {
                    qsizetype next = 0;
                    if (kindOf(codePointAt(text, i + length, &next)) != kind)
                        break;
                    length += next;
                }
            }
        }
        words.push_back(text.mid(i, length));
        i += length;
    }
    return words;
}

} // namespace wemoe
