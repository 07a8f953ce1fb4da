#pragma once

#include <QtCore/QString>

namespace wemoe {

// The text CLIP splits into words, made as openai's simple_tokenizer.py makes
// it: HTML entities unescaped twice (html_entities.h), every run of
// whitespace one space, the ends stripped, then Python's str.lower() (full
// lower-case mappings, and a final capital sigma as ς). A lone surrogate,
// which Python could not encode, becomes U+FFFD.
//
// ftfy.fix_text, which openai runs first, is not reproduced: besides
// repairing mojibake it straightens curly quotes, expands ligatures, makes
// full-width forms half-width, drops control characters and normalises to
// NFC. Prompts without such characters (printable ASCII, composed letters)
// come out the same. Hugging Face's CLIPTokenizer runs ftfy without openai's
// html.unescape.
QString cleanClipText(const QString &text);

// Python's str.lower() on `text`: QString::toLower plus the final sigma rule
// (Σ after a cased letter and not before one is ς).
QString pythonLowerCase(const QString &text);

} // namespace wemoe
