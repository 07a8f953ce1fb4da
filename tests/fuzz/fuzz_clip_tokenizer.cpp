// libFuzzer target: CLIP's tokenizer files and the text it encodes. The input
// is vocab.json, merges.txt and the text, separated by "\n--\n"; or, with one
// separator, tokenizer.json and the text; without one, all of it is text for
// a fixed vocabulary. A tokenizer that loads must give every text the ids the
// naive tokenizer of the tests gives (naive_clip_tokenizer.h), each a token
// of the vocabulary, and prompts of at most 77 ids that start and end with
// the special tokens.

#include "common/error.h"
#include "naive_clip_tokenizer.h"
#include "text/clip_tokenizer.h"
#include "text/clip_vocabulary_files.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

using Merges = QVector<QPair<QString, QString>>;

// The naive tokenizer is quadratic in a word's length: longer texts are only
// checked for sound ids.
constexpr qsizetype kMaxComparedText = 512;

struct Tokenizers
{
    wemoe::ClipTokenizer real;
    wemoe::test::NaiveClipTokenizer naive;
};

// CLIP's layout: the byte characters, the same with "</w>", a few merges, the
// special tokens.
const Tokenizers &fixedTokenizers()
{
    static const Tokenizers tokenizers = [] {
        const Merges merges = {{"t", "h"},  {"th", "e</w>"}, {"a", "b"},        {"ab", "c</w>"}, {"l", "o"},
                               {"lo", "w"}, {"e", "r</w>"},  {"low", "er</w>"}, {"'", "s</w>"},  {"Ã", "©</w>"}};
        QHash<QString, int> tokens;
        const auto add = [&](const QString &token) {
            if (!tokens.contains(token))
                tokens.insert(token, static_cast<int>(tokens.size()));
        };
        for (const QChar c : wemoe::test::naiveBytesToUnicode())
            add(QString(c));
        for (const QChar c : wemoe::test::naiveBytesToUnicode())
            add(QString(c) + QStringLiteral("</w>"));
        for (const auto &[left, right] : merges)
            add(left + right);
        add(QStringLiteral("<|startoftext|>"));
        add(QStringLiteral("<|endoftext|>"));
        return Tokenizers{wemoe::ClipTokenizer::fromVocabulary(tokens, merges, QStringLiteral("fixed")),
                          wemoe::test::NaiveClipTokenizer(tokens, merges)};
    }();
    return tokenizers;
}

void check(const Tokenizers &tokenizers, const QString &text)
{
    const wemoe::ClipTokenizer &tokenizer = tokenizers.real;
    const std::vector<int64_t> ids = tokenizer.encode(text);
    for (const int64_t id : ids) {
        if (id < 0 || id >= tokenizer.vocabularySize())
            std::abort();
    }
    if (tokenizer.encode(text) != ids) // the second time from the cache
        std::abort();
    if (text.size() <= kMaxComparedText && tokenizers.naive.encode(text) != ids)
        std::abort();

    const wemoe::ClipTokenizer::Prompt prompt = tokenizer.encodePrompt(text);
    const size_t expected = std::min<size_t>(ids.size() + 2, 77);
    if (prompt.ids.size() != expected || prompt.truncated != (ids.size() + 2 > 77))
        std::abort();
    if (prompt.ids.front() != tokenizer.startToken() || prompt.ids.back() != tokenizer.endToken())
        std::abort();
    if (!std::equal(prompt.ids.begin() + 1, prompt.ids.end() - 1, ids.begin()))
        std::abort();
}

void checkBothReadings(const Tokenizers &tokenizers, const QByteArray &text)
{
    check(tokenizers, QString::fromUtf8(text));
    // As UTF-16 too, which can hold lone surrogates.
    QString utf16(text.size() / 2, Qt::Uninitialized);
    std::memcpy(utf16.data(), text.constData(), static_cast<size_t>(utf16.size()) * sizeof(QChar));
    check(tokenizers, utf16);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QByteArray separator("\n--\n");
    const qsizetype first = input.indexOf(separator);
    const qsizetype second = first < 0 ? -1 : input.indexOf(separator, first + separator.size());
    if (first < 0) {
        checkBothReadings(fixedTokenizers(), input);
        return 0;
    }
    try {
        const wemoe::ClipVocabulary vocabulary =
            second < 0 ? wemoe::parseClipTokenizerJson(input.left(first), QStringLiteral("tokenizer.json"))
                       : wemoe::parseClipVocabularyFiles(
                           input.left(first), QStringLiteral("vocab.json"),
                           input.mid(first + separator.size(), second - first - separator.size()),
                           QStringLiteral("merges.txt"));
        Merges merges;
        for (const wemoe::ClipVocabulary::Merge &merge : vocabulary.merges)
            merges.append({merge.left, merge.right});
        const Tokenizers tokenizers{wemoe::ClipTokenizer::fromClipVocabulary(vocabulary),
                                    wemoe::test::NaiveClipTokenizer(vocabulary.tokens, merges)};
        checkBothReadings(tokenizers, input.mid((second < 0 ? first : second) + separator.size()));
    } catch (const wemoe::Error &error) {
        if (error.message().isEmpty())
            std::abort();
    }
    return 0;
}
