#include "text/clip_tokenizer.h"

#include "common/error.h"
#include "text/clip_pre_tokenizer.h"
#include "text/clip_text_cleanup.h"
#include "text/clip_vocabulary_files.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QMutex>

#include <array>
#include <map>
#include <queue>
#include <unordered_map>

namespace wemoe {

namespace {

const QString kStartOfText = QStringLiteral("<|startoftext|>");
const QString kEndOfText = QStringLiteral("<|endoftext|>");
const QString kEndOfWord = QStringLiteral("</w>");

// Words already split are kept up to this many, then the cache starts over,
// so text from anywhere cannot grow it without bound. CLIP prompts repeat a
// few hundred words; a long word is rare and not kept.
constexpr qsizetype kMaxCachedWords = 1 << 16;
constexpr qsizetype kMaxCachedWordLength = 64;

// GPT-2's byte -> character table: printable Latin-1 bytes stand for
// themselves, the 68 others (controls, space, soft hyphen) for U+0100 on, in
// byte order. So every symbol of a word is a printable character.
std::array<char16_t, 256> bytesToUnicode()
{
    std::array<char16_t, 256> table{};
    char16_t next = 0x100;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
        table[static_cast<size_t>(b)] = printable ? static_cast<char16_t>(b) : next++;
    }
    return table;
}

quint64 pairKey(int left, int right)
{
    return (static_cast<quint64>(static_cast<quint32>(left)) << 32) | static_cast<quint32>(right);
}

// The ids must number the tokens 0..N-1. On failure, the smallest offending
// id names the problem, so the message does not depend on hash order.
void checkIds(const ClipVocabulary &vocabulary)
{
    const qsizetype count = vocabulary.tokens.size();
    std::vector<bool> taken(static_cast<size_t>(count), false);
    bool ok = true;
    for (auto it = vocabulary.tokens.constBegin(); ok && it != vocabulary.tokens.constEnd(); ++it) {
        ok = it.value() >= 0 && it.value() < count && !taken[static_cast<size_t>(it.value())];
        if (ok)
            taken[static_cast<size_t>(it.value())] = true;
    }
    if (ok)
        return;
    std::map<int, QStringList> tokensOfId;
    for (auto it = vocabulary.tokens.constBegin(); it != vocabulary.tokens.constEnd(); ++it)
        tokensOfId[it.value()] << it.key();
    for (auto &[id, tokens] : tokensOfId) {
        tokens.sort();
        // One arg() call each, so a "%2" inside a token stays as written.
        if (id < 0 || id >= count)
            throw Error(vocabulary.tokensFile,
                        QStringLiteral("the id of %1 is %2, but the ids of %3 tokens must be 0..%4")
                            .arg(quotedToken(tokens.front()), QString::number(id), QString::number(count),
                                 QString::number(count - 1)));
        if (tokens.size() > 1)
            throw Error(vocabulary.tokensFile,
                        QStringLiteral("%1 and %2 both have the id %3")
                            .arg(quotedToken(tokens[0]), quotedToken(tokens[1]), QString::number(id)));
    }
}

int specialToken(const ClipVocabulary &vocabulary, const QString &token)
{
    const int id = vocabulary.tokens.value(token, -1);
    if (id < 0)
        throw Error(vocabulary.tokensFile, QStringLiteral("the vocabulary has no %1 token").arg(token));
    return id;
}

} // namespace

struct ClipTokenizer::Tables
{
    struct MergeStep
    {
        int rank = 0;
        int result = 0;
    };

    QString source;
    int vocabularySize = 0;
    int startToken = 0;
    int endToken = 0;
    // Each byte's symbol inside a word and at its end ("a", "a</w>"); -1 when
    // the vocabulary lacks it.
    std::array<int, 256> byteSymbol{};
    std::array<int, 256> lastByteSymbol{};
    std::unordered_map<quint64, MergeStep> merges; // pairKey(left, right)

    mutable QMutex cacheMutex;
    mutable QHash<QString, std::vector<int64_t>> cache;

    std::vector<int64_t> splitWord(QStringView word) const;
    void appendWord(QStringView word, std::vector<int64_t> &ids) const;
};

// CLIP's bpe(): the word's bytes as symbols, "</w>" on the last, then again
// and again the pair of lowest rank is merged wherever it occurs, left to
// right, until no pair of the word is a merge. Done with a heap of candidate
// pairs over a linked list (n log n, not CLIP's n^2): merging a pair never
// makes the same pair again, so popping equal ranks left to right is CLIP's
// pass over the word.
std::vector<int64_t> ClipTokenizer::Tables::splitWord(QStringView word) const
{
    const QByteArray bytes = word.toUtf8();
    const int n = static_cast<int>(bytes.size());
    std::vector<int> symbol(static_cast<size_t>(n));
    std::vector<int> next(static_cast<size_t>(n));
    std::vector<int> previous(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        symbol[i] = i + 1 < n ? byteSymbol[byte] : lastByteSymbol[byte];
        next[i] = i + 1 < n ? i + 1 : -1;
        previous[i] = i - 1;
    }

    struct Candidate
    {
        int rank;
        int left; // the list node where the pair starts; its position orders equal ranks
        int right;
        int leftSymbol;
        int rightSymbol;
        int result;
        bool operator>(const Candidate &other) const
        {
            return rank != other.rank ? rank > other.rank : left > other.left;
        }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
    const auto consider = [&](int left) {
        const int right = next[left];
        if (right < 0 || symbol[left] < 0 || symbol[right] < 0)
            return;
        const auto found = merges.find(pairKey(symbol[left], symbol[right]));
        if (found != merges.end())
            heap.push({found->second.rank, left, right, symbol[left], symbol[right], found->second.result});
    };
    for (int i = 0; i + 1 < n; ++i)
        consider(i);

    while (!heap.empty()) {
        const Candidate pair = heap.top();
        heap.pop();
        // Stale when either side has been merged since (a merged-away node's symbol is -1).
        if (next[pair.left] != pair.right || symbol[pair.left] != pair.leftSymbol
            || symbol[pair.right] != pair.rightSymbol)
            continue;
        const int after = next[pair.right];
        symbol[pair.left] = pair.result;
        symbol[pair.right] = -1;
        next[pair.left] = after;
        if (after >= 0)
            previous[after] = pair.left;
        if (previous[pair.left] >= 0)
            consider(previous[pair.left]);
        consider(pair.left);
    }

    std::vector<int64_t> ids;
    for (int i = 0; i >= 0 && n > 0; i = next[i])
        ids.push_back(symbol[i] >= 0 ? symbol[i] : endToken);
    return ids;
}

void ClipTokenizer::Tables::appendWord(QStringView word, std::vector<int64_t> &ids) const
{
    // CLIP's cache starts with the two special tokens, so they stay whole.
    if (word == kStartOfText || word == kEndOfText) {
        ids.push_back(word == kStartOfText ? startToken : endToken);
        return;
    }
    const bool cacheable = word.size() <= kMaxCachedWordLength;
    const QString key = cacheable ? word.toString() : QString();
    if (cacheable) {
        const QMutexLocker lock(&cacheMutex);
        const auto found = cache.constFind(key);
        if (found != cache.constEnd()) {
            ids.insert(ids.end(), found->begin(), found->end());
            return;
        }
    }
    const std::vector<int64_t> split = splitWord(word);
    ids.insert(ids.end(), split.begin(), split.end());
    if (cacheable) {
        const QMutexLocker lock(&cacheMutex);
        if (cache.size() >= kMaxCachedWords)
            cache.clear();
        cache.insert(key, split);
    }
}

ClipTokenizer::ClipTokenizer(std::shared_ptr<const Tables> tables)
    : m_tables(std::move(tables))
{
}

ClipTokenizer ClipTokenizer::fromClipVocabulary(const ClipVocabulary &vocabulary)
{
    checkIds(vocabulary);
    auto tables = std::make_shared<Tables>();
    tables->source = vocabulary.source;
    tables->vocabularySize = static_cast<int>(vocabulary.tokens.size());
    tables->startToken = specialToken(vocabulary, kStartOfText);
    tables->endToken = specialToken(vocabulary, kEndOfText);

    const auto tokenId = [&](const QString &symbol, const ClipVocabulary::Merge &merge) {
        const int id = vocabulary.tokens.value(symbol, -1);
        if (id < 0) {
            const QString in = vocabulary.tokensFile == vocabulary.mergesFile ? QStringLiteral("the vocabulary")
                                                                              : vocabulary.tokensFile;
            throw Error(vocabulary.mergesFile,
                        QStringLiteral("%1: the merge %2 needs %3, which is not in %4")
                            .arg(vocabulary.mergePlace(merge), quotedToken(merge.left + QLatin1Char(' ') + merge.right),
                                 quotedToken(symbol), in));
        }
        return id;
    };
    tables->merges.reserve(vocabulary.merges.size());
    for (size_t rank = 0; rank < vocabulary.merges.size(); ++rank) {
        const ClipVocabulary::Merge &merge = vocabulary.merges[rank];
        const int left = tokenId(merge.left, merge);
        const int right = tokenId(merge.right, merge);
        const int result = tokenId(merge.left + merge.right, merge);
        const auto [at, added] = tables->merges.emplace(pairKey(left, right),
                                                        Tables::MergeStep{static_cast<int>(rank), result});
        if (!added)
            throw Error(vocabulary.mergesFile,
                        QStringLiteral("%1 repeats the merge %2 of %3")
                            .arg(vocabulary.mergePlace(merge), quotedToken(merge.left + QLatin1Char(' ') + merge.right),
                                 vocabulary.mergePlace(vocabulary.merges[static_cast<size_t>(at->second.rank)])));
    }

    const std::array<char16_t, 256> characters = bytesToUnicode();
    for (size_t b = 0; b < 256; ++b) {
        const QString symbol = QString(QChar(characters[b]));
        tables->byteSymbol[b] = vocabulary.tokens.value(symbol, -1);
        tables->lastByteSymbol[b] = vocabulary.tokens.value(symbol + kEndOfWord, -1);
    }
    return ClipTokenizer(std::move(tables));
}

ClipTokenizer ClipTokenizer::fromVocabulary(const QHash<QString, int> &vocabulary,
                                            const QVector<QPair<QString, QString>> &merges, const QString &source)
{
    ClipVocabulary parts;
    parts.tokens = vocabulary;
    parts.merges.reserve(static_cast<size_t>(merges.size()));
    for (qsizetype i = 0; i < merges.size(); ++i)
        parts.merges.push_back({merges[i].first, merges[i].second, static_cast<int>(i)});
    parts.tokensFile = source;
    parts.mergesFile = source;
    parts.mergePlaceFormat = QStringLiteral("merge %1");
    parts.source = source;
    return fromClipVocabulary(parts);
}

ClipTokenizer ClipTokenizer::fromVocabularyFiles(const QString &vocabJsonPath, const QString &mergesTxtPath)
{
    ClipVocabulary vocabulary = readClipVocabularyFiles(vocabJsonPath, mergesTxtPath);
    vocabulary.source = vocabJsonPath;
    return fromClipVocabulary(vocabulary);
}

ClipTokenizer ClipTokenizer::fromTokenizerJson(const QString &tokenizerJsonPath)
{
    ClipVocabulary vocabulary = readClipTokenizerJson(tokenizerJsonPath);
    vocabulary.source = tokenizerJsonPath;
    return fromClipVocabulary(vocabulary);
}

ClipTokenizer ClipTokenizer::load(const QString &folder)
{
    const QFileInfo info(folder);
    if (!info.exists())
        throw Error(folder, QStringLiteral("does not exist"));
    if (!info.isDir())
        throw Error(folder, QStringLiteral("is not a folder; a CLIP tokenizer is read from its model's folder"));
    const QDir dir(folder);
    const QString vocabJson = dir.filePath(QStringLiteral("vocab.json"));
    const QString mergesTxt = dir.filePath(QStringLiteral("merges.txt"));
    const QString tokenizerJson = dir.filePath(QStringLiteral("tokenizer.json"));
    const bool hasVocab = QFileInfo::exists(vocabJson);
    const bool hasMerges = QFileInfo::exists(mergesTxt);
    ClipVocabulary vocabulary;
    if (hasVocab && hasMerges) {
        vocabulary = readClipVocabularyFiles(vocabJson, mergesTxt);
    } else if (QFileInfo::exists(tokenizerJson)) {
        vocabulary = readClipTokenizerJson(tokenizerJson);
    } else {
        QString found;
        if (hasVocab)
            found = QStringLiteral(" (vocab.json is there, merges.txt is not)");
        else if (hasMerges)
            found = QStringLiteral(" (merges.txt is there, vocab.json is not)");
        throw Error(folder, QStringLiteral("has no CLIP tokenizer: looked for vocab.json with merges.txt, and for "
                                           "tokenizer.json%1")
                                .arg(found));
    }
    vocabulary.source = folder;
    return fromClipVocabulary(vocabulary);
}

std::vector<int64_t> ClipTokenizer::encode(const QString &text) const
{
    const QString clean = cleanClipText(text);
    std::vector<int64_t> ids;
    for (const QStringView word : splitClipWords(clean))
        m_tables->appendWord(word, ids);
    return ids;
}

ClipTokenizer::Prompt ClipTokenizer::encodePrompt(const QString &text, int contextLength) const
{
    if (contextLength < 2)
        throw Error(QStringLiteral("A CLIP prompt of at most %1 tokens has no room for its start and end tokens")
                        .arg(contextLength));
    Prompt prompt;
    prompt.ids.reserve(static_cast<size_t>(contextLength));
    prompt.ids.push_back(m_tables->startToken);
    const std::vector<int64_t> ids = encode(text);
    prompt.ids.insert(prompt.ids.end(), ids.begin(), ids.end());
    prompt.ids.push_back(m_tables->endToken);
    if (prompt.ids.size() > static_cast<size_t>(contextLength)) {
        prompt.ids.resize(static_cast<size_t>(contextLength));
        prompt.ids.back() = m_tables->endToken;
        prompt.truncated = true;
    }
    return prompt;
}

int64_t ClipTokenizer::startToken() const
{
    return m_tables->startToken;
}

int64_t ClipTokenizer::endToken() const
{
    return m_tables->endToken;
}

int ClipTokenizer::vocabularySize() const
{
    return m_tables->vocabularySize;
}

QString ClipTokenizer::source() const
{
    return m_tables->source;
}

} // namespace wemoe
