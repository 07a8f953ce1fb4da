#include "text/clip_vocabulary_files.h"

#include "common/error.h"
#include "common/printable_text.h"
#include "io/ordered_json.h"
#include "io/regular_file.h"

#include <QtCore/QStringDecoder>

#include <limits>

namespace wemoe {

namespace {

JsonValue parseJson(const QByteArray &bytes, const QString &path)
{
    JsonSyntaxError syntaxError;
    std::optional<JsonValue> document = parseOrderedJson(bytes, &syntaxError);
    if (!document)
        throw Error(path,
                    QStringLiteral("not valid JSON: %1 at byte %2").arg(syntaxError.reason).arg(syntaxError.offset));
    return std::move(*document);
}

// An object of token -> id; `where` prefixes messages ("model.vocab: ").
QHash<QString, int> readTokens(const JsonValue &object, const QString &path, const QString &where)
{
    QHash<QString, int> tokens;
    tokens.reserve(static_cast<qsizetype>(object.members.size()));
    for (const auto &[token, id] : object.members) {
        if (!id.isNumber() || !id.integer)
            throw Error(path, where
                                  + QStringLiteral("the id of %1 is %2, not a whole number")
                                        .arg(quotedToken(token), printableText(id.sourceText())));
        if (*id.integer < 0 || *id.integer > std::numeric_limits<int>::max())
            throw Error(path, where
                                  + QStringLiteral("the id of %1 is %2, outside 0..%3")
                                        .arg(quotedToken(token), QString::number(*id.integer),
                                             QString::number(std::numeric_limits<int>::max())));
        if (tokens.contains(token))
            throw Error(path, where + QStringLiteral("%1 appears twice").arg(quotedToken(token)));
        tokens.insert(token, static_cast<int>(*id.integer));
    }
    return tokens;
}

// "a b": two symbols and one space, nothing else.
bool splitMerge(QStringView text, ClipVocabulary::Merge &merge)
{
    const qsizetype space = text.indexOf(QLatin1Char(' '));
    if (space <= 0 || space == text.size() - 1)
        return false;
    for (const QChar c : text) {
        if (c.isSpace() && c != QLatin1Char(' '))
            return false;
    }
    const QStringView right = text.mid(space + 1);
    if (right.contains(QLatin1Char(' ')))
        return false;
    merge.left = text.left(space).toString();
    merge.right = right.toString();
    return true;
}

QString decodeUtf8Lines(const QByteArray &bytes, const QString &path)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (!decoder.hasError())
        return text;
    const QList<QByteArray> lines = bytes.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QStringDecoder lineDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString line = lineDecoder.decode(lines[i]); // decodes only when made a QString
        if (lineDecoder.hasError())
            throw Error(path, QStringLiteral("line %1 is not valid UTF-8").arg(i + 1));
    }
    throw Error(path, QStringLiteral("not valid UTF-8"));
}

std::vector<ClipVocabulary::Merge> parseMergesTxt(const QByteArray &bytes, const QString &path)
{
    const QString text = decodeUtf8Lines(bytes, path);
    std::vector<ClipVocabulary::Merge> merges;
    merges.reserve(static_cast<size_t>(text.count(QLatin1Char('\n')) + 1));
    int lineNumber = 0;
    for (QStringView line : QStringView(text).split(QLatin1Char('\n'))) {
        ++lineNumber;
        if (line.endsWith(QLatin1Char('\r'))) // written on Windows
            line.chop(1);
        if (line.isEmpty() || (lineNumber == 1 && line.startsWith(QLatin1String("#version"))))
            continue;
        ClipVocabulary::Merge merge;
        merge.place = lineNumber;
        if (!splitMerge(line, merge))
            throw Error(path, QStringLiteral("line %1 is not two symbols separated by one space: %2")
                                  .arg(lineNumber)
                                  .arg(quotedToken(line.toString())));
        merges.push_back(std::move(merge));
    }
    return merges;
}

// The added_tokens of a tokenizer.json that model.vocab leaves out (the
// special tokens may be only there). One that is in both must agree.
void addAddedTokens(const JsonValue &document, const QString &path, QHash<QString, int> &tokens)
{
    const JsonValue *added = document.member(QStringLiteral("added_tokens"));
    if (!added || added->type == JsonValue::Type::Null)
        return;
    if (!added->isArray())
        throw Error(path, QStringLiteral("added_tokens is not a list"));
    for (size_t i = 0; i < added->items.size(); ++i) {
        const JsonValue &item = added->items[i];
        const JsonValue *id = item.isObject() ? item.member(QStringLiteral("id")) : nullptr;
        const JsonValue *content = item.isObject() ? item.member(QStringLiteral("content")) : nullptr;
        if (!id || !id->integer || *id->integer < 0 || *id->integer > std::numeric_limits<int>::max() || !content
            || !content->isString())
            throw Error(path, QStringLiteral("added_tokens[%1] is not {\"id\": <id>, \"content\": \"<token>\"}: %2")
                                  .arg(i)
                                  .arg(printableText(item.sourceText())));
        const int existing = tokens.value(content->string, -1);
        if (existing < 0)
            tokens.insert(content->string, static_cast<int>(*id->integer));
        else if (existing != *id->integer)
            throw Error(path, QStringLiteral("added_tokens[%1] gives %2 the id %3, model.vocab the id %4")
                                  .arg(QString::number(i), quotedToken(content->string), QString::number(*id->integer),
                                       QString::number(existing)));
    }
}

} // namespace

QString quotedToken(const QString &token)
{
    constexpr qsizetype kShown = 80;
    QString shown = printableText(token.size() > kShown ? token.left(kShown) : token);
    shown.replace(QLatin1Char('\n'), QLatin1String("\\n")).replace(QLatin1Char('\t'), QLatin1String("\\t"));
    return QLatin1Char('"') + shown + (token.size() > kShown ? QLatin1String("...\"") : QLatin1String("\""));
}

ClipVocabulary parseClipVocabularyFiles(const QByteArray &vocabJson, const QString &vocabJsonPath,
                                        const QByteArray &mergesTxt, const QString &mergesTxtPath)
{
    const JsonValue document = parseJson(vocabJson, vocabJsonPath);
    if (!document.isObject())
        throw Error(vocabJsonPath, QStringLiteral("not a vocabulary: expected a JSON object of token -> id"));
    ClipVocabulary vocabulary;
    vocabulary.tokens = readTokens(document, vocabJsonPath, QString());
    vocabulary.merges = parseMergesTxt(mergesTxt, mergesTxtPath);
    vocabulary.tokensFile = vocabJsonPath;
    vocabulary.mergesFile = mergesTxtPath;
    vocabulary.mergePlaceFormat = QStringLiteral("line %1");
    return vocabulary;
}

ClipVocabulary readClipVocabularyFiles(const QString &vocabJsonPath, const QString &mergesTxtPath)
{
    const QByteArray vocabJson = readRegularFile(vocabJsonPath, kMaxClipVocabularyFileBytes);
    const QByteArray mergesTxt = readRegularFile(mergesTxtPath, kMaxClipVocabularyFileBytes);
    return parseClipVocabularyFiles(vocabJson, vocabJsonPath, mergesTxt, mergesTxtPath);
}

ClipVocabulary parseClipTokenizerJson(const QByteArray &tokenizerJson, const QString &tokenizerJsonPath)
{
    const QString &path = tokenizerJsonPath;
    const JsonValue document = parseJson(tokenizerJson, path);
    const JsonValue *model = document.isObject() ? document.member(QStringLiteral("model")) : nullptr;
    if (!model || !model->isObject())
        throw Error(path, QStringLiteral("not a tokenizer.json: expected an object with a \"model\" object"));

    const JsonValue *type = model->member(QStringLiteral("type"));
    if (type && !(type->isString() && type->string == QLatin1String("BPE")))
        throw Error(
            path, QStringLiteral("model.type is %1; CLIP's tokenizer is a BPE").arg(printableText(type->sourceText())));
    const JsonValue *suffix = model->member(QStringLiteral("end_of_word_suffix"));
    if (suffix && !(suffix->isString() && suffix->string == QLatin1String("</w>")))
        throw Error(path, QStringLiteral("model.end_of_word_suffix is %1; CLIP's BPE ends each word with \"</w>\"")
                              .arg(printableText(suffix->sourceText())));
    const JsonValue *prefix = model->member(QStringLiteral("continuing_subword_prefix"));
    if (prefix && prefix->isString() && !prefix->string.isEmpty())
        throw Error(path, QStringLiteral("model.continuing_subword_prefix is %1; CLIP's BPE has none")
                              .arg(printableText(prefix->sourceText())));

    const JsonValue *vocab = model->member(QStringLiteral("vocab"));
    if (!vocab || !vocab->isObject())
        throw Error(path, QStringLiteral("model.vocab is not an object of token -> id"));
    const JsonValue *mergeList = model->member(QStringLiteral("merges"));
    if (!mergeList || !mergeList->isArray())
        throw Error(path, QStringLiteral("model.merges is not a list of merges"));

    ClipVocabulary vocabulary;
    vocabulary.tokens = readTokens(*vocab, path, QStringLiteral("model.vocab: "));
    addAddedTokens(document, path, vocabulary.tokens);
    vocabulary.merges.reserve(mergeList->items.size());
    for (size_t i = 0; i < mergeList->items.size(); ++i) {
        const JsonValue &item = mergeList->items[i];
        ClipVocabulary::Merge merge;
        merge.place = static_cast<int>(i);
        const bool pair = item.isArray() && item.items.size() == 2 && item.items[0].isString()
                          && item.items[1].isString() && !item.items[0].string.isEmpty()
                          && !item.items[1].string.isEmpty();
        if (pair) {
            merge.left = item.items[0].string;
            merge.right = item.items[1].string;
        } else if (!item.isString() || !splitMerge(item.string, merge)) {
            throw Error(path, QStringLiteral("model.merges[%1] is not \"a b\" or [\"a\", \"b\"]: %2")
                                  .arg(i)
                                  .arg(printableText(item.sourceText())));
        }
        vocabulary.merges.push_back(std::move(merge));
    }
    vocabulary.tokensFile = path;
    vocabulary.mergesFile = path;
    vocabulary.mergePlaceFormat = QStringLiteral("model.merges[%1]");
    return vocabulary;
}

ClipVocabulary readClipTokenizerJson(const QString &tokenizerJsonPath)
{
    return parseClipTokenizerJson(readRegularFile(tokenizerJsonPath, kMaxClipVocabularyFileBytes), tokenizerJsonPath);
}

} // namespace wemoe
