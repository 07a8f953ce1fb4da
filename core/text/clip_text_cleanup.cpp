#include "text/clip_text_cleanup.h"

#include "text/html_entities.h"

namespace wemoe {

namespace {

constexpr char16_t kCapitalSigma = 0x3a3;
constexpr char16_t kSmallSigma = 0x3c3;
constexpr char16_t kFinalSigma = 0x3c2;

// Python's str.strip() also strips the separators U+001C-U+001F, which the
// \s of CLIP's whitespace pattern (Unicode White_Space, QChar::isSpace) keeps.
bool strippedAtTheEnds(QChar c)
{
    return c.isSpace() || (c.unicode() >= 0x1c && c.unicode() <= 0x1f);
}

QString withoutLoneSurrogates(const QString &text)
{
    QString out = text;
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (out[i].isHighSurrogate() && i + 1 < out.size() && out[i + 1].isLowSurrogate())
            ++i;
        else if (out[i].isSurrogate())
            out[i] = QChar(QChar::ReplacementCharacter);
    }
    return out;
}

// re.sub(r"\s+", " ", text).strip().
QString collapseWhitespace(const QString &text)
{
    QString out;
    out.reserve(text.size());
    bool inSpace = false;
    for (const QChar c : text) {
        if (c.isSpace()) {
            inSpace = true;
            continue;
        }
        if (inSpace)
            out.append(QLatin1Char(' '));
        inSpace = false;
        out.append(c);
    }
    qsizetype begin = 0;
    qsizetype end = out.size();
    while (begin < end && strippedAtTheEnds(out[begin]))
        ++begin;
    while (end > begin && strippedAtTheEnds(out[end - 1]))
        --end;
    return out.mid(begin, end - begin);
}

char32_t codePointBefore(const QString &text, qsizetype &i)
{
    --i;
    if (i > 0 && text[i].isLowSurrogate() && text[i - 1].isHighSurrogate()) {
        --i;
        return QChar::surrogateToUcs4(text[i], text[i + 1]);
    }
    return text[i].unicode();
}

char32_t codePointAt(const QString &text, qsizetype &i)
{
    const QChar c = text[i++];
    if (c.isHighSurrogate() && i < text.size() && text[i].isLowSurrogate())
        return QChar::surrogateToUcs4(c, text[i++]);
    return c.unicode();
}

// Unicode's Case_Ignorable: marks, format characters, modifier letters and
// symbols, and the apostrophes, periods and colons that may sit inside a word
// (Word_Break MidLetter, MidNumLet, Single_Quote). Checked against Python
// 3.11 (Unicode 14, as Qt 6.4) on every code point.
bool caseIgnorable(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_Enclosing:
    case QChar::Other_Format:
    case QChar::Letter_Modifier:
    case QChar::Symbol_Modifier: return true;
    default: break;
    }
    switch (c) {
    case 0x27:
    case 0x2e:
    case 0x3a:
    case 0xb7:
    case 0x387:
    case 0x55f:
    case 0x5f4:
    case 0x2018:
    case 0x2019:
    case 0x2024:
    case 0x2027:
    case 0xfe13:
    case 0xfe52:
    case 0xfe55:
    case 0xff07:
    case 0xff0e:
    case 0xff1a: return true;
    default: return false;
    }
}

// Unicode's Cased: the cased letters, plus ª º, Roman numerals and circled
// and squared Latin letters (Other_Lowercase, Other_Uppercase).
bool cased(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase: return true;
    default: break;
    }
    return c == 0xaa || c == 0xba || (c >= 0x2160 && c <= 0x217f) || (c >= 0x24b6 && c <= 0x24e9)
           || (c >= 0x1f130 && c <= 0x1f149) || (c >= 0x1f150 && c <= 0x1f169) || (c >= 0x1f170 && c <= 0x1f189);
}

// Unicode's Final_Sigma context, as Python tests it: a cased character before
// the Σ and none after it, case-ignorable characters skipped on both sides.
bool finalSigma(const QString &text, qsizetype sigma)
{
    qsizetype i = sigma;
    char32_t c = 0;
    bool found = false;
    while (i > 0) {
        c = codePointBefore(text, i);
        if (!caseIgnorable(c)) {
            found = true;
            break;
        }
    }
    if (!found || !cased(c))
        return false;
    i = sigma + 1;
    while (i < text.size()) {
        c = codePointAt(text, i);
        if (!caseIgnorable(c))
            return !cased(c);
    }
    return true;
}

} // namespace

QString pythonLowerCase(const QString &text)
{
    qsizetype sigma = text.indexOf(QChar(kCapitalSigma));
    if (sigma < 0)
        return text.toLower(); // Python's mappings otherwise, checked on every code point
    QString out;
    out.reserve(text.size());
    qsizetype done = 0;
    while (sigma >= 0) {
        out.append(QStringView(text).mid(done, sigma - done).toString().toLower());
        out.append(QChar(finalSigma(text, sigma) ? kFinalSigma : kSmallSigma));
        done = sigma + 1;
        sigma = text.indexOf(QChar(kCapitalSigma), done);
    }
    out.append(QStringView(text).mid(done).toString().toLower());
    return out;
}

QString cleanClipText(const QString &text)
{
    return pythonLowerCase(collapseWhitespace(unescapeHtml(unescapeHtml(withoutLoneSurrogates(text)))));
}

} // namespace wemoe
