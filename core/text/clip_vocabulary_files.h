#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QString>

#include <vector>

namespace wemoe {

// A BPE vocabulary as its files give it, each file's syntax checked but not
// yet the whole (ClipTokenizer::fromClipVocabulary checks that the ids number
// the tokens, that every merge's symbols and result are tokens, and that the
// start and end tokens are there).
struct ClipVocabulary
{
    struct Merge
    {
        QString left;
        QString right;
        int place = 0; // where it was written: a line of merges.txt, an index of model.merges
    };

    QHash<QString, int> tokens; // token -> id
    std::vector<Merge> merges;  // in rank order, the first merged first
    QString tokensFile;         // names the tokens in messages
    QString mergesFile;         // names the merges in messages
    QString mergePlaceFormat;   // "line %1", "model.merges[%1]": names a merge's place in messages
    QString source;             // the folder or file the tokenizer was read from

    QString mergePlace(const Merge &merge) const { return mergePlaceFormat.arg(merge.place); }
};

// A token, symbol or line for messages: quoted, with control characters,
// tabs and newlines escaped, cut short after 80 characters.
QString quotedToken(const QString &token);

// Caps on the files, checked before reading: CLIP's are about 1 MB
// (vocab.json), 0.5 MB (merges.txt) and 2 MB (tokenizer.json).
constexpr qint64 kMaxClipVocabularyFileBytes = 64LL << 20;

// Hugging Face's slow-tokenizer files: vocab.json, one object of token -> id,
// and merges.txt, one merge a line ("a b": two symbols and one space), in rank
// order, after an optional "#version: ..." first line; empty lines are skipped.
ClipVocabulary readClipVocabularyFiles(const QString &vocabJsonPath, const QString &mergesTxtPath);
ClipVocabulary parseClipVocabularyFiles(const QByteArray &vocabJson, const QString &vocabJsonPath,
                                        const QByteArray &mergesTxt, const QString &mergesTxtPath);

// Hugging Face's tokenizer.json: model.vocab (token -> id) and model.merges,
// each merge either "a b" or ["a", "b"], plus the added_tokens model.vocab
// lacks. A model of another type than BPE or with another end-of-word suffix
// than "</w>" is refused.
ClipVocabulary readClipTokenizerJson(const QString &tokenizerJsonPath);
ClipVocabulary parseClipTokenizerJson(const QByteArray &tokenizerJson, const QString &tokenizerJsonPath);

} // namespace wemoe
