#include "window/dropped_file.h"

#include "common/error.h"
#include "io/json_file.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace wemoe::ui {

namespace {

bool isSessionFile(const QString &file)
{
    if (file.endsWith(sessionFileSuffix()))
        return true;
    try {
        return readJsonObjectFile(file).value(QStringLiteral("format")).toString()
               == QLatin1String("wemoe-studio-session");
    } catch (const Error &) {
        return false; // not a session; opening it as a pool reports what is wrong with it
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
    if (isSessionFile(path))
        return {Kind::Session, path};
    if (info.fileName() == QLatin1String("config.json") || info.suffix() == QLatin1String("safetensors")
        || info.suffix() == QLatin1String("bin"))
        return {Kind::Model, info.absolutePath()};
    return {Kind::Pool, path};
}

} // namespace wemoe::ui
