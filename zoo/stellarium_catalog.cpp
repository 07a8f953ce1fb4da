#include "zoo/stellarium_catalog.h"

#include "common/error.h"
#include "zoo/gzip_file.h"

#include <QtCore/QDataStream>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace wemoe {

namespace {

void readRecord(QDataStream &in, NebulaRecord &r)
{
    in >> r.id >> r.ra >> r.dec >> r.bMag >> r.vMag >> r.type >> r.morphology >> r.majorAxis >> r.minorAxis
        >> r.orientation >> r.redshift >> r.redshiftError >> r.parallax >> r.parallaxError >> r.distance
        >> r.distanceError >> r.ngc >> r.ic >> r.messier >> r.caldwell >> r.barnard >> r.sharpless >> r.vdb >> r.rcw
        >> r.ldn >> r.lbn >> r.collinder >> r.melotte >> r.pgc >> r.ugc >> r.ced >> r.arp >> r.vv >> r.pk >> r.png
        >> r.snrg >> r.aco >> r.hcg >> r.eso >> r.vdbh >> r.dwb >> r.tr >> r.st >> r.ru >> r.vdbha;
}

} // namespace

NebulaCatalog parseNebulaCatalog(const QByteArray &stream, const QString &origin)
{
    QDataStream in(stream);
    // Stellarium writes with Qt 5.2's format: big-endian, doubles as 64-bit,
    // QString as u32 byte length + UTF-16BE (0xffffffff for a null string).
    in.setVersion(QDataStream::Qt_5_2);
    in.setByteOrder(QDataStream::BigEndian);
    in.setFloatingPointPrecision(QDataStream::DoublePrecision);

    NebulaCatalog catalog;
    in >> catalog.version >> catalog.edition;
    if (in.status() != QDataStream::Ok)
        throw Error(origin, QStringLiteral("too short for the catalogue's version and edition strings"));
    while (!in.atEnd()) {
        NebulaRecord record;
        readRecord(in, record);
        if (in.status() != QDataStream::Ok)
            throw Error(origin, QStringLiteral("record %1 is cut short (after %2 complete records)")
                                    .arg(catalog.records.size() + 1)
                                    .arg(catalog.records.size()));
        catalog.records.append(record);
    }
    return catalog;
}

NebulaCatalog readNebulaCatalogFile(const QString &file)
{
    return parseNebulaCatalog(readGzipFile(file), file);
}

QByteArray restoreLeadingZeros(const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size() + 64);
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out.append(c);
            if (c == '\\' && i + 1 < json.size())
                out.append(json[++i]);
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        const bool digitFollows = i + 1 < json.size() && json[i + 1] >= '0' && json[i + 1] <= '9';
        const bool digitBefore = !out.isEmpty() && out.back() >= '0' && out.back() <= '9';
        if (c == '.' && digitFollows && !digitBefore)
            out.append('0');
        out.append(c);
    }
    return out;
}

QVector<NebulaTexture> parseNebulaTextures(const QByteArray &json, const QString &origin)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(restoreLeadingZeros(json), &parseError);
    if (document.isNull())
        throw Error(
            origin,
            QStringLiteral("invalid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    const QJsonValue tiles = document.object().value(QStringLiteral("subTiles"));
    if (!tiles.isArray())
        throw Error(origin, QStringLiteral("no \"subTiles\" array"));

    QVector<NebulaTexture> textures;
    for (const QJsonValue &tileValue : tiles.toArray()) {
        const QJsonObject tile = tileValue.toObject();
        NebulaTexture texture;
        texture.image = tile.value(QStringLiteral("imageUrl")).toString();
        // worldCoords: [[[ra, dec], ...]] — one polygon per texture here.
        const QJsonArray polygons = tile.value(QStringLiteral("worldCoords")).toArray();
        if (texture.image.isEmpty() || polygons.isEmpty())
            throw Error(origin, QStringLiteral("sub-tile %1 has no imageUrl or worldCoords").arg(textures.size()));
        for (const QJsonValue &corner : polygons.first().toArray()) {
            const QJsonArray pair = corner.toArray();
            if (pair.size() != 2)
                throw Error(origin,
                            QStringLiteral("sub-tile '%1': a corner is not an [ra, dec] pair").arg(texture.image));
            texture.corners.append(QPointF(pair[0].toDouble(), pair[1].toDouble()));
        }
        if (texture.corners.size() < 3)
            throw Error(origin,
                        QStringLiteral("sub-tile '%1' has %2 corners").arg(texture.image).arg(texture.corners.size()));
        textures.append(texture);
    }
    return textures;
}

QVector<NebulaTexture> readNebulaTexturesFile(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        throw Error(file, QStringLiteral("cannot be read: %1").arg(in.errorString()));
    return parseNebulaTextures(in.readAll(), file);
}

} // namespace wemoe
