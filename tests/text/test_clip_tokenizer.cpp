// CLIP's tokenizer: ids worked out by hand on a small vocabulary, the text
// cleanup and the word pattern case by case, a naive second implementation
// (naive_clip_tokenizer.h) on generated text, one tokenizer shared by
// threads, prompts and truncation, and the files: vocab.json + merges.txt,
// tokenizer.json in both merge forms, what is wrong with a bad one, and how
// long one of CLIP's size takes to load.

#include "naive_clip_tokenizer.h"
#include "test_support.h"
#include "text/clip_pre_tokenizer.h"
#include "text/clip_text_cleanup.h"
#include "text/clip_tokenizer.h"
#include "text/html_entities.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <random>
#include <thread>

using namespace wemoe;
using namespace wemoe::test;

namespace {

using Merges = QVector<QPair<QString, QString>>;

// A vocabulary laid out as CLIP's: ids 0-255 are the byte characters in
// bytes_to_unicode order, 256-511 the same with "</w>", then one token per
// merge (a result already there is not added again), then <|startoftext|>
// and <|endoftext|>. A printable ASCII character c has the id c - 33.
struct VocabularyFixture
{
    QHash<QString, int> tokens;
    Merges merges;

    explicit VocabularyFixture(const Merges &mergeList)
        : merges(mergeList)
    {
        // bytes_to_unicode's order is its characters' order: the printable
        // bytes stand for themselves, the others come after, from U+0100 on.
        QVector<QChar> characters = naiveBytesToUnicode();
        std::sort(characters.begin(), characters.end());
        QStringList ordered;
        for (const QChar c : characters)
            ordered << QString(c);
        for (const QChar c : characters)
            ordered << QString(c) + QStringLiteral("</w>");
        for (const auto &[left, right] : merges)
            ordered << left + right;
        ordered << QStringLiteral("<|startoftext|>") << QStringLiteral("<|endoftext|>");
        for (const QString &token : ordered) {
            if (!tokens.contains(token))
                tokens.insert(token, static_cast<int>(tokens.size()));
        }
    }

    ClipTokenizer tokenizer() const { return ClipTokenizer::fromVocabulary(tokens, merges, QStringLiteral("fixture")); }
    NaiveClipTokenizer naive() const { return NaiveClipTokenizer(tokens, merges); }

    // Written by hand: QJsonObject inserts in sorted order, quadratic in a
    // vocabulary of CLIP's size.
    static QByteArray jsonString(const QString &text)
    {
        QByteArray out = "\"";
        for (const char byte : text.toUtf8()) {
            if (byte == '"' || byte == '\\')
                out += '\\';
            if (static_cast<unsigned char>(byte) < 0x20)
                out += QByteArray("\\u00")
                       + QByteArray::number(static_cast<unsigned char>(byte), 16).rightJustified(2, '0');
            else
                out += byte;
        }
        return out + '"';
    }

    QByteArray vocabJson() const
    {
        QByteArray json = "{";
        for (auto it = tokens.constBegin(); it != tokens.constEnd(); ++it)
            json += (json.size() > 1 ? ", " : "") + jsonString(it.key()) + ": " + QByteArray::number(it.value());
        return json + '}';
    }

    QByteArray mergesTxt() const
    {
        QByteArray text = "#version: 0.2\n";
        for (const auto &[left, right] : merges)
            text += (left + QLatin1Char(' ') + right).toUtf8() + '\n';
        return text;
    }

    QByteArray tokenizerJson(bool mergesAsArrays) const
    {
        QByteArray mergeList;
        for (const auto &[left, right] : merges) {
            mergeList += mergeList.isEmpty() ? "" : ", ";
            if (mergesAsArrays)
                mergeList += '[' + jsonString(left) + ", " + jsonString(right) + ']';
            else
                mergeList += jsonString(left + QLatin1Char(' ') + right);
        }
        return R"({"version": "1.0", "model": {"type": "BPE", "dropout": null, "unk_token": "<|endoftext|>", )"
               R"("continuing_subword_prefix": "", "end_of_word_suffix": "</w>", "fuse_unk": false, "vocab": )"
               + vocabJson() + ", \"merges\": [" + mergeList + "]}}";
    }
};

// The merges of the hand-worked examples; a merge's token id is 512 + its
// rank, so <|startoftext|> is 525 and <|endoftext|> 526.
const Merges kHandMerges = {
    {"a", "b"},        // 512 ab
    {"b", "c</w>"},    // 513 bc</w>
    {"ab", "ab"},      // 514 abab
    {"a", "a"},        // 515 aa
    {"aa", "a</w>"},   // 516 aaa</w>
    {"l", "o"},        // 517 lo
    {"lo", "w</w>"},   // 518 low</w>
    {"e", "r</w>"},    // 519 er</w>
    {"lo", "w"},       // 520 low
    {"low", "er</w>"}, // 521 lower</w>
    {"'", "t</w>"},    // 522 't</w>
    {"d", "o"},        // 523 do
    {"do", "n</w>"},   // 524 don</w>
};

QString idsText(const std::vector<int64_t> &ids)
{
    QStringList parts;
    for (const int64_t id : ids)
        parts << QString::number(id);
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

QString escaped(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

// Text of every kind CLIP meets: words, accents, CJK, Cyrillic, Greek, emoji
// (surrogate pairs, with modifiers), digits, punctuation, contractions, HTML
// entities, runs of whitespace, the special tokens, and case to fold.
QStringList generatedTexts(int count, quint32 seed)
{
    const QStringList pieces = {
        "a",
        "the",
        "photo",
        "of",
        "lower",
        "low",
        "abc",
        "ababab",
        "aaaa",
        "don't",
        "it's",
        "we've",
        "they're",
        "I'm",
        "you'll",
        "he'd",
        "'S",
        "'\u017f",
        "caf\u00e9",
        "na\u00efve",
        "\u00c6gir",
        "\u6771\u4eac",
        "\u65e5\u672c\u8a9e",
        "\u041c\u043e\u0441\u043a\u0432\u0430",
        "\u041f\u0420\u0418\u0412\u0415\u0422",
        "\U0001F600",
        "\U0001F44D\U0001F3FD",
        "\U0001D518\U0001D52B",
        "\U00010437",
        "123",
        "\u0663",
        "\u00bd",
        "\u216b",
        "x\u00b2",
        "!",
        "?!",
        "...",
        "\u2014",
        "\u00ab\u00bb",
        "&amp;",
        "&amp;amp;",
        "&lt;b&gt;",
        "&#39;",
        "&#x27;",
        "&#x1F600;",
        "&quot;",
        "&nbsp;",
        "&copy2024",
        "&ampx",
        "&#128;",
        "&#0;",
        "&notin;",
        "&check;",
        "&",
        "&#",
        " ",
        "  ",
        "\t",
        "\n",
        "\u3000",
        "\u00a0",
        "\u2028",
        "\u0085",
        "\x1c",
        "<|startoftext|>",
        "<|endoftext|>",
        "<|ENDOFTEXT|>",
        "\u03a3",
        "\u038c\u03a3\u039f\u03a3",
        "\u0130stanbul",
        "\u00df",
        "\ufb01",
        "\uff21",
        "e\u0301",
        "\u200d",
        "\ufeff",
        "a\u0345b",
        "-",
        "_",
        "#1",
        "@",
        "'",
        "''s",
        "\"",
        "/",
        "\\",
        "\u00ad",
        "\x7f",
    };
    std::mt19937 random(seed);
    const auto below = [&](int n) { return static_cast<int>(random() % static_cast<quint32>(n)); };
    // Single characters from a few scripts, as code points.
    const char32_t ranges[][2] = {{0x21, 0x7e},   {0xa0, 0x24f},    {0x370, 0x3ff},
                                  {0x400, 0x4ff}, {0x4e00, 0x9fff}, {0x1f300, 0x1f64f}};
    QStringList texts;
    for (int i = 0; i < count; ++i) {
        QString text;
        const int parts = below(12);
        for (int p = 0; p < parts; ++p) {
            QString piece;
            if (below(10) < 8) {
                piece = pieces[below(static_cast<int>(pieces.size()))];
            } else {
                const auto &range = ranges[below(6)];
                const char32_t c = range[0] + static_cast<char32_t>(below(static_cast<int>(range[1] - range[0] + 1)));
                piece = QString::fromUcs4(&c, 1);
            }
            if (below(4) == 0)
                piece = piece.toUpper();
            text += piece;
            if (below(2) == 0)
                text += QStringList{" ", " ", "  ", "\t", "\n ", ""}[below(6)];
        }
        texts << text;
    }
    return texts;
}

// Merges that occur in `texts`: a pair of neighbouring symbols of some word,
// picked at random, then merged in every word; a few ranks are then swapped,
// so some merges rank before the merges that make their symbols.
Merges generatedMerges(const QStringList &texts, int count, quint32 seed)
{
    const VocabularyFixture bare({});
    const NaiveClipTokenizer naive = bare.naive();
    const QVector<QChar> bytes = naiveBytesToUnicode();
    QVector<QStringList> words;
    for (const QString &text : texts) {
        for (const QString &word : naive.words(cleanClipText(text))) {
            if (word.startsWith(QLatin1String("<|")))
                continue;
            QString token;
            for (const char byte : word.toUtf8())
                token += bytes[static_cast<unsigned char>(byte)];
            words << naive.bpe(token); // no merges yet: the symbols
        }
    }
    std::mt19937 random(seed);
    Merges merges;
    QSet<QString> known;
    for (int attempt = 0; merges.size() < count && attempt < count * 20; ++attempt) {
        QStringList &word = words[static_cast<qsizetype>(random() % words.size())];
        if (word.size() < 2)
            continue;
        const qsizetype i = static_cast<qsizetype>(random() % static_cast<quint32>(word.size() - 1));
        const QPair<QString, QString> pair{word[i], word[i + 1]};
        if (known.contains(pair.first + QLatin1Char(' ') + pair.second))
            continue;
        known.insert(pair.first + QLatin1Char(' ') + pair.second);
        merges << pair;
        for (QStringList &w : words) {
            QStringList merged;
            for (qsizetype j = 0; j < w.size();) {
                if (j + 1 < w.size() && w[j] == pair.first && w[j + 1] == pair.second) {
                    merged << pair.first + pair.second;
                    j += 2;
                } else {
                    merged << w[j++];
                }
            }
            w = merged;
        }
    }
    for (int swaps = 0; swaps < count / 10; ++swaps)
        std::swap(merges[static_cast<qsizetype>(random() % merges.size())],
                  merges[static_cast<qsizetype>(random() % merges.size())]);
    return merges;
}

} // namespace

class TestClipTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handWorkedIds_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("ids");
        // (b, c</w>) is a merge too, but (a, b) ranks first and takes the b: ab c</w>.
        QTest::newRow("lowest rank first") << "abc"
                                           << "[512, 322]";
        QTest::newRow("one merge") << "bc"
                                   << "[513]";
        // a b a b</w>: only the first pair is (a, b); ab a b</w> has no merge left.
        QTest::newRow("end of word differs") << "abab"
                                             << "[512, 64, 321]";
        // a b a b a b</w>: both (a, b) merge in one pass, then (ab, ab): abab a b</w>.
        QTest::newRow("every occurrence, then the next rank") << "ababab"
                                                              << "[514, 64, 321]";
        // a a a a</w>: (a, a) at 0 and 1 overlap; the pass takes 0-1, and the a
        // at 2 is followed by a</w>, not a: aa a a</w>.
        QTest::newRow("overlapping pairs, left first") << "aaaa"
                                                       << "[515, 64, 320]";
        // a a a</w>: aa a</w>, then (aa, a</w>): aaa</w>.
        QTest::newRow("merge of a merge") << "aaa"
                                          << "[516]";
        // l o w e r</w>: (l, o) rank 5; then (e, r</w>) rank 7 before (lo, w)
        // rank 8; then (low, er</w>) rank 9.
        QTest::newRow("lower") << "lower"
                               << "[521]";
        QTest::newRow("low: lo w</w>") << "low"
                                       << "[518]";
        QTest::newRow("lowe: low e</w>") << "lowe"
                                         << "[520, 324]";
        // "don" "'t": d o n</w> -> do n</w> -> don</w>; ' t</w> -> 't</w>.
        QTest::newRow("contraction") << "don't"
                                     << "[524, 522]";
        QTest::newRow("lower-cased first") << "DON'T"
                                           << "[524, 522]";
        // "'ſ" is one word (ſ folds to s): ' then ſ's bytes C5 BF as Å ¿</w>.
        QTest::newRow("contraction with a long s") << "'\u017f"
                                                   << "[6, 129, 379]";
        // "!'" is one run of punctuation, so no contraction: ! '</w>, s</w>.
        QTest::newRow("no contraction after punctuation") << "!'s"
                                                          << "[0, 262, 338]";
        QTest::newRow("special token inside text") << "a<|endoftext|>b"
                                                   << "[320, 526, 321]";
        QTest::newRow("special token in capitals") << "<|ENDOFTEXT|>"
                                                   << "[526]";
        // x is a word, ² (a number: C2 B2) another: Â ²</w>.
        QTest::newRow("number after a letter") << "x\u00b2"
                                               << "[343, 126, 366]";
        QTest::newRow("digits one by one") << "123"
                                           << "[272, 273, 274]";
        QTest::newRow("entities unescaped twice") << "&amp;lt;"
                                                  << "[283]";
        QTest::newRow("whitespace collapsed") << "  A \t\n B  "
                                              << "[320, 321]";
        QTest::newRow("empty") << ""
                               << "[]";
        QTest::newRow("only whitespace") << " \t\n"
                                         << "[]";
        // U+0345 separates words (Python's regex matches it with nothing).
        QTest::newRow("ypogegrammeni") << "a\u0345b"
                                       << "[320, 321]";
    }

    void handWorkedIds()
    {
        QFETCH(QString, text);
        QFETCH(QString, ids);
        const ClipTokenizer tokenizer = VocabularyFixture(kHandMerges).tokenizer();
        QCOMPARE(tokenizer.startToken(), int64_t(525));
        QCOMPARE(tokenizer.endToken(), int64_t(526));
        QCOMPARE(tokenizer.vocabularySize(), 527);
        QCOMPARE(idsText(tokenizer.encode(text)), ids);
        QCOMPARE(idsText(tokenizer.encode(text)), ids); // again, from the cache
    }

    void unknownSymbolsAreTheEndToken()
    {
        const QHash<QString, int> tokens{{"a</w>", 0}, {"<|startoftext|>", 1}, {"<|endoftext|>", 2}};
        const ClipTokenizer tokenizer = ClipTokenizer::fromVocabulary(tokens, {}, QStringLiteral("tiny"));
        QCOMPARE(idsText(tokenizer.encode(QStringLiteral("a b"))), QStringLiteral("[0, 2]"));
        QCOMPARE(tokenizer.source(), QStringLiteral("tiny"));
    }

    void htmlEntities_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("unescaped");
        // Each as Python's html.unescape reads it.
        QTest::newRow("named") << "&amp; &lt; &gt; &quot; &apos;"
                               << "& < > \" '";
        QTest::newRow("once only") << "&amp;amp;"
                                   << "&amp;";
        QTest::newRow("decimal and hex") << "&#39;&#x27;&#X27"
                                         << "'''";
        QTest::newRow("astral") << "&#x1F600;"
                                << "\U0001F600";
        QTest::newRow("without semicolon") << "&copy2024 &eacute"
                                           << "\u00a92024 \u00e9";
        QTest::newRow("longest known prefix") << "&ampx &notit;"
                                              << "&x \u00acit;";
        QTest::newRow("HTML5-only name kept") << "&check;"
                                              << "&check;";
        QTest::newRow("upper-case") << "&AMP;&LT"
                                    << "&<";
        QTest::newRow("Windows-1252") << "&#128;&#x99;"
                                      << "\u20ac\u2122";
        QTest::newRow("replacement") << "&#0;&#xD800;&#99999999999;"
                                     << "\ufffd\ufffd\ufffd";
        QTest::newRow("dropped") << "a&#1;&#xFDD0;&#x1FFFE;b"
                                 << "ab";
        // (Built from a QChar: QString::fromUtf8 drops a leading U+FEFF.)
        QTest::newRow("byte order mark kept") << "&#65279;" << QString(QChar(0xfeff));
        QTest::newRow("not references") << "& &# &#x; &; a&b"
                                        << "& &# &#x; &; a&b";
    }

    void htmlEntities()
    {
        QFETCH(QString, text);
        QFETCH(QString, unescaped);
        QCOMPARE(escaped(unescapeHtml(text)), escaped(unescaped));
    }

    void textCleanup_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("clean");
        // Each as openai's basic_clean + whitespace_clean + lower() leave it (without ftfy).
        QTest::newRow("twice unescaped") << "&amp;amp;"
                                         << "&";
        QTest::newRow("whitespace") << "  A \t\n\u3000B\u2028 "
                                    << "a b";
        QTest::newRow("unescaped space stripped") << "&nbsp;x&nbsp;"
                                                  << "x";
        QTest::newRow("separators stripped at the ends only") << "\x1c a\x1c b \x1c"
                                                              << "a\x1c b";
        QTest::newRow("final sigma") << "\u038c\u03a3\u039f\u03a3"
                                     << "\u03cc\u03c3\u03bf\u03c2";
        QTest::newRow("lone sigma") << "\u03a3"
                                    << "\u03c3";
        QTest::newRow("sigma before an apostrophe and a letter") << "\u0391\u03a3'\u0392"
                                                                 << "\u03b1\u03c3'\u03b2";
        QTest::newRow("sigma before a period") << "\u0391\u03a3."
                                               << "\u03b1\u03c2.";
        QTest::newRow("dotted capital I") << "\u0130"
                                          << "i\u0307";
        QTest::newRow("lone surrogate") << QString(QChar(0xd800)) + "a"
                                        << "\ufffda";
    }

    void textCleanup()
    {
        QFETCH(QString, text);
        QFETCH(QString, clean);
        QCOMPARE(escaped(cleanClipText(text)), escaped(clean));
    }

    void words_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("contraction") << "don't" << QStringList{"don", "'t"};
        QTest::newRow("punctuation run") << "'''s" << QStringList{"'''", "s"};
        QTest::newRow("special tokens") << "a<|endoftext|>b<|startoftext|>"
                                        << QStringList{"a", "<|endoftext|>", "b", "<|startoftext|>"};
        QTest::newRow("case-insensitive") << "<|EndOfText|>'S'\u017f" << QStringList{"<|EndOfText|>", "'S", "'\u017f"};
        QTest::newRow("half a special token") << "<|end" << QStringList{"<|", "end"};
        QTest::newRow("digits") << "a12b" << QStringList{"a", "1", "2", "b"};
        QTest::newRow("CJK") << "\u65e5\u672c\u8a9e" << QStringList{"\u65e5\u672c\u8a9e"};
        QTest::newRow("astral letters") << "\U0001D518\U0001D52B!" << QStringList{"\U0001D518\U0001D52B", "!"};
        QTest::newRow("emoji are punctuation")
            << "\U0001F600\U0001F600! a" << QStringList{"\U0001F600\U0001F600!", "a"};
        QTest::newRow("combining mark") << "e\u0301" << QStringList{"e", "\u0301"};
        QTest::newRow("ypogegrammeni") << "a\u0345b" << QStringList{"a", "b"};
    }

    void words()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, words);
        QStringList found;
        for (const QStringView word : splitClipWords(text))
            found << word.toString();
        QCOMPARE(found, words);
    }

    // The real tokenizer against the naive one, on generated text and a
    // vocabulary whose merges occur in it.
    void matchesTheNaiveTokenizer()
    {
        const QStringList texts = generatedTexts(400, 7);
        const VocabularyFixture fixture(generatedMerges(texts, 600, 11));
        const ClipTokenizer tokenizer = fixture.tokenizer();
        const NaiveClipTokenizer naive = fixture.naive();
        int merged = 0;
        for (const QString &text : texts) {
            const QString clean = cleanClipText(text);
            QStringList words;
            for (const QStringView word : splitClipWords(clean))
                words << word.toString();
            QVERIFY2(words == naive.words(clean), qPrintable(escaped(text)));
            const std::vector<int64_t> ids = tokenizer.encode(text);
            QVERIFY2(idsText(ids) == idsText(naive.encode(text)),
                     qPrintable(escaped(text) + QLatin1String(": ") + idsText(ids) + QLatin1String(" vs ")
                                + idsText(naive.encode(text))));
            for (const int64_t id : ids)
                merged += id >= 512 && id < fixture.tokens.size() - 2;
        }
        QVERIFY2(merged > 500, "the generated merges should apply often");
    }

    void sharedAcrossThreads()
    {
        const QStringList texts = generatedTexts(200, 3);
        const VocabularyFixture fixture(generatedMerges(texts, 300, 5));
        const NaiveClipTokenizer naive = fixture.naive();
        QStringList expected;
        for (const QString &text : texts)
            expected << idsText(naive.encode(text));
        const ClipTokenizer tokenizer = fixture.tokenizer(); // a cold cache, filled by all threads at once
        std::vector<QStringList> results(4);
        std::vector<std::thread> threads;
        for (size_t t = 0; t < results.size(); ++t) {
            threads.emplace_back([&, t] {
                const ClipTokenizer copy = tokenizer;
                for (int round = 0; round < 3; ++round) {
                    results[t].clear();
                    for (const QString &text : texts)
                        results[t] << idsText(copy.encode(text));
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        for (const QStringList &result : results)
            QCOMPARE(result, expected);
    }

    void prompts()
    {
        const ClipTokenizer tokenizer = VocabularyFixture(kHandMerges).tokenizer();
        ClipTokenizer::Prompt prompt = tokenizer.encodePrompt(QStringLiteral("a"));
        QCOMPARE(idsText(prompt.ids), QStringLiteral("[525, 320, 526]"));
        QVERIFY(!prompt.truncated);

        // 75 words and the two special tokens fill the 77 exactly.
        prompt = tokenizer.encodePrompt(QStringLiteral("a ").repeated(75));
        QCOMPARE(prompt.ids.size(), size_t(77));
        QVERIFY(!prompt.truncated);
        QCOMPARE(prompt.ids.back(), int64_t(526));

        // One more, and the last word gives way to the end token.
        prompt = tokenizer.encodePrompt(QStringLiteral("a ").repeated(76));
        QCOMPARE(prompt.ids.size(), size_t(77));
        QVERIFY(prompt.truncated);
        QCOMPARE(prompt.ids.front(), int64_t(525));
        QCOMPARE(prompt.ids[75], int64_t(320));
        QCOMPARE(prompt.ids.back(), int64_t(526));

        // abc = ab c</w>: the third abc loses its c</w> to the end token.
        prompt = tokenizer.encodePrompt(QStringLiteral("abc abc abc"), 6);
        QCOMPARE(idsText(prompt.ids), QStringLiteral("[525, 512, 322, 512, 322, 526]"));
        QVERIFY(prompt.truncated);
        QVERIFY(!errorOf([&] { tokenizer.encodePrompt(QStringLiteral("a"), 1); }).isEmpty());
    }

    // vocab.json + merges.txt, tokenizer.json with "a b" merges and with
    // ["a", "b"] merges: the same tokenizer.
    void filesGiveTheSameIds()
    {
        const QStringList texts = generatedTexts(150, 13);
        const VocabularyFixture fixture(generatedMerges(texts, 400, 17));
        QTemporaryDir dir;
        QDir(dir.path()).mkpath(QStringLiteral("pair"));
        QDir(dir.path()).mkpath(QStringLiteral("strings"));
        QDir(dir.path()).mkpath(QStringLiteral("arrays"));
        writeFile(dir.filePath("pair/vocab.json"), fixture.vocabJson());
        writeFile(dir.filePath("pair/merges.txt"), fixture.mergesTxt());
        writeFile(dir.filePath("pair/tokenizer.json"), "not read: vocab.json and merges.txt come first");
        writeFile(dir.filePath("strings/tokenizer.json"), fixture.tokenizerJson(false));
        writeFile(dir.filePath("arrays/tokenizer.json"), fixture.tokenizerJson(true));

        const ClipTokenizer reference = fixture.tokenizer();
        const ClipTokenizer pair = ClipTokenizer::load(dir.filePath("pair"));
        const ClipTokenizer strings = ClipTokenizer::load(dir.filePath("strings"));
        const ClipTokenizer arrays = ClipTokenizer::fromTokenizerJson(dir.filePath("arrays/tokenizer.json"));
        const ClipTokenizer files = ClipTokenizer::fromVocabularyFiles(dir.filePath("pair/vocab.json"),
                                                                       dir.filePath("pair/merges.txt"));
        QCOMPARE(pair.source(), dir.filePath("pair"));
        QCOMPARE(arrays.source(), dir.filePath("arrays/tokenizer.json"));
        for (const ClipTokenizer *loaded : {&pair, &strings, &arrays, &files}) {
            QCOMPARE(loaded->vocabularySize(), reference.vocabularySize());
            QCOMPARE(loaded->endToken(), reference.endToken());
            for (const QString &text : texts)
                QCOMPARE(idsText(loaded->encode(text)), idsText(reference.encode(text)));
        }
    }

    void loadingErrors_data()
    {
        QTest::addColumn<QByteArray>("vocabJson");
        QTest::addColumn<QByteArray>("mergesTxt");
        QTest::addColumn<QString>("problem"); // after "<file>: "
        QTest::addColumn<bool>("inMerges");   // the file named is merges.txt, not vocab.json

        const VocabularyFixture good(kHandMerges);
        const QByteArray vocab = good.vocabJson();
        const QByteArray merges = good.mergesTxt();
        QTest::newRow("merge line without a space")
            << vocab << QByteArray("#version: 0.2\na b\n\nab\n")
            << "line 4 is not two symbols separated by one space: \"ab\"" << true;
        QTest::newRow("two spaces") << vocab << QByteArray("a  b\n")
                                    << "line 1 is not two symbols separated by one space: \"a  b\"" << true;
        QTest::newRow("three symbols") << vocab << QByteArray("a b\nl o w\n")
                                       << "line 2 is not two symbols separated by one space: \"l o w\"" << true;
        QTest::newRow("a tab") << vocab << QByteArray("a\tb\n")
                               << "line 1 is not two symbols separated by one space: \"a\\tb\"" << true;
        QTest::newRow("not UTF-8") << vocab << QByteArray("a b\n\xff b\n") << "line 2 is not valid UTF-8" << true;
        QTest::newRow("merge result not a token")
            << vocab << QByteArray("a b\nc d\n") << "line 2: the merge \"c d\" needs \"cd\", which is not in %VOCAB%"
            << true;
        QTest::newRow("repeated merge") << vocab << QByteArray("a b\nl o\na b\n")
                                        << "line 3 repeats the merge \"a b\" of line 1" << true;
        QTest::newRow("bad JSON") << QByteArray("{\"a\": 1,") << merges
                                  << "not valid JSON: expected a string as the member's name at byte 8" << false;
        QTest::newRow("not an object") << QByteArray("[1, 2]") << merges
                                       << "not a vocabulary: expected a JSON object of token -> id" << false;
        QTest::newRow("id not a number") << QByteArray(R"({"a": "1"})") << merges
                                         << "the id of \"a\" is \"1\", not a whole number" << false;
        QTest::newRow("id not whole") << QByteArray(R"({"a": 1.5})") << merges
                                      << "the id of \"a\" is 1.5, not a whole number" << false;
        QTest::newRow("negative id") << QByteArray(R"({"a": -1})") << merges
                                     << "the id of \"a\" is -1, outside 0..2147483647" << false;
        QTest::newRow("token twice") << QByteArray(R"({"a": 0, "a": 1})") << merges << "\"a\" appears twice" << false;
        QTest::newRow("id twice") << QByteArray(R"({"b": 0, "a": 0})") << QByteArray()
                                  << "\"a\" and \"b\" both have the id 0" << false;
        QTest::newRow("gap in the ids") << QByteArray(R"({"a": 0, "b": 2})") << QByteArray()
                                        << "the id of \"b\" is 2, but the ids of 2 tokens must be 0..1" << false;
        QTest::newRow("no start token") << QByteArray(R"({"<|endoftext|>": 0})") << QByteArray()
                                        << "the vocabulary has no <|startoftext|> token" << false;
        QTest::newRow("no end token") << QByteArray(R"({"<|startoftext|>": 0})") << QByteArray()
                                      << "the vocabulary has no <|endoftext|> token" << false;
    }

    void loadingErrors()
    {
        QFETCH(QByteArray, vocabJson);
        QFETCH(QByteArray, mergesTxt);
        QFETCH(QString, problem);
        QFETCH(bool, inMerges);
        QTemporaryDir dir;
        const QString vocabPath = dir.filePath(QStringLiteral("vocab.json"));
        const QString mergesPath = dir.filePath(QStringLiteral("merges.txt"));
        writeFile(vocabPath, vocabJson);
        writeFile(mergesPath, mergesTxt);
        const QString expected = (inMerges ? mergesPath : vocabPath) + QLatin1String(": ")
                                 + QString(problem).replace("%VOCAB%", vocabPath);
        QCOMPARE(errorOf([&] { ClipTokenizer::fromVocabularyFiles(vocabPath, mergesPath); }), expected);
        QCOMPARE(errorOf([&] { ClipTokenizer::load(dir.path()); }), expected);
    }

    void missingFiles()
    {
        QTemporaryDir dir;
        const QString vocabPath = dir.filePath(QStringLiteral("vocab.json"));
        const QString mergesPath = dir.filePath(QStringLiteral("merges.txt"));
        QCOMPARE(errorOf([&] { ClipTokenizer::fromVocabularyFiles(vocabPath, mergesPath); }),
                 vocabPath + QLatin1String(": does not exist"));
        QCOMPARE(errorOf([&] { ClipTokenizer::load(dir.path()); }),
                 dir.path()
                     + QLatin1String(": has no CLIP tokenizer: looked for vocab.json with merges.txt, and for "
                                     "tokenizer.json"));
        writeFile(vocabPath, VocabularyFixture(kHandMerges).vocabJson());
        QCOMPARE(errorOf([&] { ClipTokenizer::fromVocabularyFiles(vocabPath, mergesPath); }),
                 mergesPath + QLatin1String(": does not exist"));
        QCOMPARE(errorOf([&] { ClipTokenizer::load(dir.path()); }),
                 dir.path()
                     + QLatin1String(": has no CLIP tokenizer: looked for vocab.json with merges.txt, and for "
                                     "tokenizer.json (vocab.json is there, merges.txt is not)"));
        QCOMPARE(errorOf([&] { ClipTokenizer::load(dir.filePath("nowhere")); }),
                 dir.filePath("nowhere") + QLatin1String(": does not exist"));
        QCOMPARE(errorOf([&] { ClipTokenizer::load(vocabPath); }),
                 vocabPath + QLatin1String(": is not a folder; a CLIP tokenizer is read from its model's folder"));
    }

    void tokenizerJsonErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        const QByteArray vocab = VocabularyFixture(kHandMerges).vocabJson();
        const auto model = [&](const QByteArray &members) {
            return "{\"model\": {" + members + ", \"vocab\": " + vocab + "}}";
        };
        QTest::newRow("no model") << QByteArray(R"({"vocab": {}})")
                                  << "not a tokenizer.json: expected an object with a \"model\" object";
        QTest::newRow("not BPE") << model(R"("type": "WordPiece", "merges": [])")
                                 << "model.type is \"WordPiece\"; CLIP's tokenizer is a BPE";
        QTest::newRow("no end-of-word suffix")
            << model(R"("end_of_word_suffix": null, "merges": [])")
            << "model.end_of_word_suffix is null; CLIP's BPE ends each word with \"</w>\"";
        QTest::newRow("no merges") << model(R"("type": "BPE")") << "model.merges is not a list of merges";
        QTest::newRow("bad string merge")
            << model(R"("merges": ["a b", "ab"])") << "model.merges[1] is not \"a b\" or [\"a\", \"b\"]: \"ab\"";
        QTest::newRow("bad array merge") << model(R"("merges": [["a", "b"], ["a", "b", "c"]])")
                                         << "model.merges[1] is not \"a b\" or [\"a\", \"b\"]: [\"a\", \"b\", \"c\"]";
        QTest::newRow("merge result not a token")
            << model(R"("merges": [["c", "d"]])")
            << "model.merges[0]: the merge \"c d\" needs \"cd\", which is not in the vocabulary";
        QTest::newRow("added token disagrees")
            << "{\"added_tokens\": [{\"id\": 1, \"content\": \"<|endoftext|>\"}], " + model(R"("merges": [])").mid(1)
            << "added_tokens[0] gives \"<|endoftext|>\" the id 1, model.vocab the id 526";
        QTest::newRow("bad added token")
            << "{\"added_tokens\": [{\"id\": \"1\"}], " + model(R"("merges": [])").mid(1)
            << "added_tokens[0] is not {\"id\": <id>, \"content\": \"<token>\"}: {\"id\": \"1\"}";
        QTest::newRow("bad vocab") << QByteArray(R"({"model": {"vocab": {"a": true}, "merges": []}})")
                                   << "model.vocab: the id of \"a\" is true, not a whole number";
    }

    // The special tokens may be only in added_tokens.
    void specialTokensFromAddedTokens()
    {
        const VocabularyFixture fixture(kHandMerges);
        QHash<QString, int> withoutSpecials = fixture.tokens;
        withoutSpecials.remove(QStringLiteral("<|startoftext|>"));
        withoutSpecials.remove(QStringLiteral("<|endoftext|>"));
        VocabularyFixture partial = fixture;
        partial.tokens = withoutSpecials;
        QByteArray json = partial.tokenizerJson(false);
        json.insert(1, R"("added_tokens": [{"id": 525, "content": "<|startoftext|>", "special": true}, )"
                       R"({"id": 526, "content": "<|endoftext|>", "special": true}], )");
        QTemporaryDir dir;
        writeFile(dir.filePath("tokenizer.json"), json);
        const ClipTokenizer tokenizer = ClipTokenizer::load(dir.path());
        QCOMPARE(tokenizer.startToken(), int64_t(525));
        QCOMPARE(tokenizer.endToken(), int64_t(526));
        QCOMPARE(idsText(tokenizer.encodePrompt(QStringLiteral("lower")).ids), QStringLiteral("[525, 521, 526]"));
    }

    void tokenizerJsonErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
        writeFile(path, json);
        QCOMPARE(errorOf([&] { ClipTokenizer::load(dir.path()); }), path + QLatin1String(": ") + problem);
    }

    // A vocabulary of CLIP's size (49408 tokens, 48894 merges of up to nine
    // characters, random but valid) loads well under a second.
    void loadsAClipSizedVocabularyQuickly()
    {
        const VocabularyFixture bare({});
        std::mt19937 random(23);
        QStringList inner; // tokens without </w>, which can start a merge
        QSet<QString> known(bare.tokens.keyBegin(), bare.tokens.keyEnd());
        for (auto it = bare.tokens.constBegin(); it != bare.tokens.constEnd(); ++it) {
            if (!it.key().endsWith(QLatin1String("</w>")) && !it.key().startsWith(QLatin1String("<|")))
                inner << it.key();
        }
        inner.sort();
        Merges merges;
        while (merges.size() < 48894) {
            const QString left = inner[static_cast<qsizetype>(random() % inner.size())];
            QString right = inner[static_cast<qsizetype>(random() % inner.size())];
            if (random() % 3 == 0)
                right += QStringLiteral("</w>");
            if (left.size() + right.size() > 9 + (right.endsWith(QLatin1String("</w>")) ? 4 : 0)
                || !known.contains(right) || known.contains(left + right))
                continue;
            merges << qMakePair(left, right);
            known.insert(left + right);
            if (!right.endsWith(QLatin1String("</w>")))
                inner << left + right;
        }
        const VocabularyFixture fixture(merges);
        QCOMPARE(fixture.tokens.size(), 49408);
        QTemporaryDir dir;
        writeFile(dir.filePath("vocab.json"), fixture.vocabJson());
        writeFile(dir.filePath("merges.txt"), fixture.mergesTxt());
        writeFile(dir.filePath("tokenizer.json"), fixture.tokenizerJson(false));

        // Speed is measured by wemoe-bench, not here (docs/PERFORMANCE.md).
        const ClipTokenizer pair = ClipTokenizer::load(dir.path());
        const ClipTokenizer json = ClipTokenizer::fromTokenizerJson(dir.filePath("tokenizer.json"));
        QCOMPARE(pair.vocabularySize(), 49408);
        QCOMPARE(json.vocabularySize(), 49408);
        const QString sample = QStringLiteral("a photo of the annual crop land, 12 tokens\u00e9s");
        QCOMPARE(pair.encode(sample), json.encode(sample));
    }
};

QTEST_GUILESS_MAIN(TestClipTokenizer)
#include "test_clip_tokenizer.moc"
