#include "window/dropped_file.h"

#include "common/error.h"
#include "io/json_file.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonObject>

namespace wemoe::ui {

namespace {

// The JSON object a file holds; empty when it holds none (a YAML pool, a
// broken file: opening it as a pool reports what is wrong with it).
QJsonObject jsonObjectOf(const QString &file)
{
    try {
        return readJsonObjectFile(file);
    } catch (const Error &) {
        return {};
    }
}

} // namespace

QString sessionFileSuffix()
{
    return QStringLiteral(".wemoe-session.json");
}

DroppedFile DroppedFile::classify(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir()) {
        const QDir dir(info.absoluteFilePath());
        if (dir.exists(QStringLiteral("pool.json")))
            return {Kind::Pool, dir.filePath(QStringLiteral("pool.json"))};
        if (dir.exists(QStringLiteral("config.json")))
            return {Kind::Model, info.absoluteFilePath()};
        return {Kind::Unknown, info.absoluteFilePath()};
    }
    if (path.endsWith(sessionFileSuffix()))
        return {Kind::Session, path};
    const QJsonObject json = jsonObjectOf(path);
    if (json.value(QStringLiteral("format")).toString() == QLatin1String("wemoe-studio-session"))
        return {Kind::Session, path};
    if (json.value(QStringLiteral("groups")).isArray() && json.value(QStringLiteral("coefficients")).isArray())
        return {Kind::Coefficients, path};
    if (info.fileName() == QLatin1String("config.json") || info.suffix() == QLatin1String("safetensors")
        || info.suffix() == QLatin1String("bin"))
        return {Kind::Model, info.absolutePath()};
    return {Kind::Pool, path};
}

} // namespace wemoe::ui
