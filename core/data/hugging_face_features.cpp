#include "data/hugging_face_features.h"

#include "common/error.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>

namespace wemoe {

namespace {

// A column of the wanted feature type: the one with the usual name, else the first.
void choose(QString &chosen, const QString &column, const QString &usualName)
{
    if (chosen.isEmpty() || (column == usualName && chosen != usualName))
        chosen = column;
}

} // namespace

HuggingFaceFeatures parseHuggingFaceFeatures(const QString &json, const QString &where)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        throw Error(where, QStringLiteral("the \"huggingface\" metadata is not a JSON object (%1)")
                               .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                                 : QStringLiteral("not an object")));
    const QJsonObject root = document.object();
    // `datasets` nests the features in "info"; some writers put them at the top.
    const QJsonValue info = root.value(QLatin1String("info"));
    const QJsonValue features = info.isObject() ? info.toObject().value(QLatin1String("features"))
                                                : root.value(QLatin1String("features"));
    HuggingFaceFeatures result;
    if (features.isUndefined())
        return result;
    if (!features.isObject())
        throw Error(where, QStringLiteral("the \"huggingface\" metadata's \"features\" is not an object"));

    const QJsonObject columns = features.toObject();
    QJsonObject classLabel;
    for (auto it = columns.begin(); it != columns.end(); ++it) {
        const QJsonObject feature = it.value().toObject();
        const QString type = feature.value(QLatin1String("_type")).toString();
        if (type == QLatin1String("Image")) {
            choose(result.imageColumn, it.key(), QStringLiteral("image"));
        } else if (type == QLatin1String("ClassLabel")) {
            const QString before = result.labelColumn;
            choose(result.labelColumn, it.key(), QStringLiteral("label"));
            if (result.labelColumn != before)
                classLabel = feature;
        }
    }
    if (result.labelColumn.isEmpty())
        return result;

    const QJsonValue names = classLabel.value(QLatin1String("names"));
    if (!names.isUndefined() && !names.isArray())
        throw Error(
            where,
            QStringLiteral("the ClassLabel feature '%1' has \"names\" that are not a list").arg(result.labelColumn));
    QSet<QString> seen;
    for (const QJsonValue &name : names.toArray()) {
        if (!name.isString() || name.toString().isEmpty())
            throw Error(where, QStringLiteral("the ClassLabel feature '%1' has a class name that is not a non-empty "
                                              "string (class %2)")
                                   .arg(result.labelColumn)
                                   .arg(result.classNames.size()));
        if (seen.contains(name.toString()))
            throw Error(where, QStringLiteral("the ClassLabel feature '%1' names the class '%2' twice")
                                   .arg(result.labelColumn, name.toString()));
        seen.insert(name.toString());
        result.classNames.append(name.toString());
    }
    return result;
}

} // namespace wemoe
