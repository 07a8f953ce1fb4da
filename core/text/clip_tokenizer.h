#pragma once

#include <QtCore/QHash>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QVector>

#include <cstdint>
#include <memory>
#include <vector>

namespace wemoe {

struct ClipVocabulary;

// CLIP's tokenizer: byte-level BPE with "</w>" ending each word, as openai's
// simple_tokenizer.py and Hugging Face's CLIPTokenizer define it. The text is
// cleaned first (clip_text_cleanup.h: HTML entities, whitespace, lower case),
// split into words by CLIP's pattern (clip_pre_tokenizer.h), and each word's
// UTF-8 bytes are merged pair by pair, the lowest-ranked pair first.
//
// Copies are cheap and share the tables and the cache of words already split;
// every method is safe to call from several threads at once.
class ClipTokenizer
{
public:
    // vocab.json + merges.txt in `folder`, else its tokenizer.json.
    static ClipTokenizer load(const QString &folder);
    static ClipTokenizer fromVocabularyFiles(const QString &vocabJsonPath, const QString &mergesTxtPath);
    static ClipTokenizer fromTokenizerJson(const QString &tokenizerJsonPath);
    // From memory, for tests and fuzzing; `source` names it in errors. The
    // merges are in rank order, the first merged first.
    static ClipTokenizer fromVocabulary(const QHash<QString, int> &vocabulary,
                                        const QVector<QPair<QString, QString>> &merges, const QString &source);
    // Checks and indexes what the readers of clip_vocabulary_files.h return.
    static ClipTokenizer fromClipVocabulary(const ClipVocabulary &vocabulary);

    // BPE ids of the cleaned text, without start and end tokens. A symbol
    // that is not in the vocabulary (a byte the vocabulary lacks) becomes the
    // end token, Hugging Face's unknown token for CLIP.
    std::vector<int64_t> encode(const QString &text) const;

    struct Prompt
    {
        std::vector<int64_t> ids;
        bool truncated = false; // the text did not fit: the caller warns
    };
    // [start, ids..., end], at most contextLength ids (truncated keeps the end
    // token, as clip.tokenize(truncate=True) does). No padding.
    Prompt encodePrompt(const QString &text, int contextLength = 77) const;

    int64_t startToken() const;
    int64_t endToken() const;
    int vocabularySize() const;
    QString source() const; // the folder or file it was read from

private:
    struct Tables;
    explicit ClipTokenizer(std::shared_ptr<const Tables> tables);

    std::shared_ptr<const Tables> m_tables;
};

} // namespace wemoe
