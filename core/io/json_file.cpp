#include "io/json_file.h"

#include "common/error.h"

#include <QtCore/QJsonDocument>

namespace wemoe {

QJsonObject parseJsonObject(const QByteArray &text, const QString &path)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        throw Error(
            path, QStringLiteral("not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        throw Error(path, QStringLiteral("not a JSON object"));
    return document.object();
}

QJsonObject readJsonObjectFile(const QString &path, qint64 maxBytes)
{
    return parseJsonObject(readRegularFile(path, maxBytes), path);
}

} // namespace wemoe
