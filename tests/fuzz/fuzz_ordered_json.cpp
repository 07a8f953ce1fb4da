// libFuzzer target: the strict JSON parser of safetensors headers and indices,
// cross-checked against QJsonDocument: whatever ours accepts, Qt's parser must
// accept too, with the same members (Qt keeps the last of duplicate keys).

#include "io/ordered_json.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <vector>

namespace {

// Qt drops a U+FEFF where a run of UTF-8 starts, so strings are compared without any.
QString comparable(QString s)
{
    return s.remove(QChar(0xfeff));
}

void requireSame(const wemoe::JsonValue &ours, const QJsonValue &qt)
{
    using Type = wemoe::JsonValue::Type;
    switch (ours.type) {
    case Type::Null:
        if (!qt.isNull())
            std::abort();
        break;
    case Type::Bool:
        if (!qt.isBool() || qt.toBool() != ours.boolean)
            std::abort();
        break;
    case Type::Number:
        if (!qt.isDouble())
            std::abort();
        break;
    case Type::String:
        if (!qt.isString() || comparable(qt.toString()) != comparable(ours.string))
            std::abort();
        break;
    case Type::Array: {
        const QJsonArray array = qt.toArray();
        if (!qt.isArray() || static_cast<size_t>(array.size()) != ours.items.size())
            std::abort();
        for (size_t i = 0; i < ours.items.size(); ++i)
            requireSame(ours.items[i], array.at(static_cast<qsizetype>(i)));
        break;
    }
    case Type::Object: {
        if (!qt.isObject())
            std::abort();
        const QJsonObject object = qt.toObject();
        // Names are compared without U+FEFF, which Qt drops in some places and
        // keeps in others. The same names on both sides; values compared
        // where a name is unambiguous (one Qt key, one exact name of ours, of
        // which Qt keeps the last).
        // Iterated, not looked up: Qt 6.4 turns the stored name "\uFEFF.06"
        // into the key ".06", which value(".06") then does not find.
        std::map<QString, std::vector<QJsonValue>> qtKeys;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            qtKeys[comparable(it.key())].push_back(it.value());
        std::map<QString, std::vector<const std::pair<QString, wemoe::JsonValue> *>> oursByName;
        for (const auto &member : ours.members)
            oursByName[comparable(member.first)].push_back(&member);
        if (qtKeys.size() != oursByName.size())
            std::abort();
        for (const auto &[name, members] : oursByName) {
            const auto found = qtKeys.find(name);
            if (found == qtKeys.end())
                std::abort();
            bool oneExactName = true;
            for (const auto *member : members)
                oneExactName = oneExactName && member->first == members.front()->first;
            if (found->second.size() == 1 && oneExactName)
                requireSame(members.back()->second, found->second.front());
        }
        break;
    }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    wemoe::JsonSyntaxError error;
    const auto ours = wemoe::parseOrderedJson(text, &error);
    if (!ours) {
        if (error.offset < 0 || error.offset > text.size() || error.reason.isEmpty())
            std::abort();
        return 0;
    }
    // Qt's parser takes only arrays and objects at the top, and nests at most 1024 deep.
    if (!ours->isObject() && !ours->isArray())
        return 0;
    QJsonParseError qtError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &qtError);
    // Qt refuses numbers beyond a double's range, which we read as ±inf.
    if (qtError.error == QJsonParseError::IllegalNumber)
        return 0;
    if (qtError.error != QJsonParseError::NoError)
        std::abort(); // we accepted what the reference parser refuses
    requireSame(*ours, document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array()));
    return 0;
}
