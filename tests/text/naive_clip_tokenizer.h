#pragma once

// A second CLIP tokenizer, written the plain way to check the real one
// (core/text/clip_tokenizer.h): QRegularExpression (PCRE2) finds the words,
// nothing is cached, and each word is merged by simple_tokenizer.py's loop on
// strings (find the lowest-ranked pair, merge it everywhere, start again).
// Only the text cleanup (clip_text_cleanup.h, tested on its own) is shared.
// Used by test_clip_tokenizer and the fuzz target fuzz_clip_tokenizer.

#include "text/clip_text_cleanup.h"

#include <QtCore/QHash>
#include <QtCore/QPair>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>
#include <QtCore/QVector>

#include <climits>
#include <cstdint>
#include <vector>

namespace wemoe::test {

// bytes_to_unicode() as simple_tokenizer.py builds it: the printable bytes
// keep their code, the others get 256, 257, ... in byte order.
inline QVector<QChar> naiveBytesToUnicode()
{
    QVector<int> bytes;
    for (int b = '!'; b <= '~'; ++b)
        bytes << b;
    for (int b = 0xa1; b <= 0xac; ++b)
        bytes << b;
    for (int b = 0xae; b <= 0xff; ++b)
        bytes << b;
    QVector<int> codes = bytes;
    int n = 0;
    for (int b = 0; b < 256; ++b) {
        if (!bytes.contains(b)) {
            bytes << b;
            codes << 256 + n++;
        }
    }
    QVector<QChar> table(256);
    for (int i = 0; i < 256; ++i)
        table[bytes[i]] = QChar(codes[i]);
    return table;
}

class NaiveClipTokenizer
{
public:
    NaiveClipTokenizer(const QHash<QString, int> &vocabulary, const QVector<QPair<QString, QString>> &merges)
        : m_vocabulary(vocabulary)
        , m_bytes(naiveBytesToUnicode())
        , m_pattern(QStringLiteral(R"(<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|)"
                                   R"([^\s\p{L}\p{N}]+)"),
                    QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption)
    {
        for (int rank = 0; rank < merges.size(); ++rank)
            m_ranks.insert(merges[rank], rank);
    }

    // The words of cleaned text. Python's regex module, under IGNORECASE,
    // matches U+0345 with no alternative (it skips it like a space), where
    // PCRE2 reads it as punctuation: so it becomes a space here.
    QStringList words(QString cleanText) const
    {
        cleanText.replace(QChar(0x345), QLatin1Char(' '));
        QStringList words;
        auto it = m_pattern.globalMatch(cleanText);
        while (it.hasNext())
            words << it.next().captured();
        return words;
    }

    QStringList bpe(const QString &token) const
    {
        QStringList word;
        for (qsizetype i = 0; i + 1 < token.size(); ++i)
            word << QString(token[i]);
        word << token.back() + QStringLiteral("</w>");
        for (;;) {
            int best = INT_MAX;
            QPair<QString, QString> bigram;
            for (qsizetype i = 0; i + 1 < word.size(); ++i) {
                const int rank = m_ranks.value({word[i], word[i + 1]}, INT_MAX);
                if (rank < best) {
                    best = rank;
                    bigram = {word[i], word[i + 1]};
                }
            }
            if (best == INT_MAX)
                return word;
            QStringList merged;
            for (qsizetype i = 0; i < word.size();) {
                if (i + 1 < word.size() && word[i] == bigram.first && word[i + 1] == bigram.second) {
                    merged << bigram.first + bigram.second;
                    i += 2;
                } else {
                    merged << word[i++];
                }
            }
            word = merged;
        }
    }

    std::vector<int64_t> encode(const QString &text) const
    {
        const int end = m_vocabulary.value(QStringLiteral("<|endoftext|>"));
        std::vector<int64_t> ids;
        for (const QString &word : words(cleanClipText(text))) {
            if (word == QLatin1String("<|startoftext|>") || word == QLatin1String("<|endoftext|>")) {
                ids.push_back(m_vocabulary.value(word));
                continue;
            }
            QString token;
            for (const char byte : word.toUtf8())
                token += m_bytes[static_cast<unsigned char>(byte)];
            for (const QString &symbol : bpe(token))
                ids.push_back(m_vocabulary.value(symbol, end));
        }
        return ids;
    }

private:
    QHash<QString, int> m_vocabulary;
    QHash<QPair<QString, QString>, int> m_ranks;
    QVector<QChar> m_bytes;
    QRegularExpression m_pattern;
};

} // namespace wemoe::test
