#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QPointF>
#include <QtCore/QString>
#include <QtCore/QVector>

namespace wemoe {

// Stellarium's deep-sky catalogue (nebulae/default/catalog.dat): a gzip of a
// big-endian QDataStream holding a version QString, an edition QString, then
// one record per object with the fields below in this order. Designation
// numbers are 0 and designation strings empty when the object has none.
struct NebulaRecord
{
    quint32 id = 0;
    double ra = 0;  // radians (J2000)
    double dec = 0; // radians
    double bMag = 0, vMag = 0;
    quint32 type = 0; // Stellarium's Nebula::NebulaType, see NebulaType
    QString morphology;
    double majorAxis = 0, minorAxis = 0;
    quint32 orientation = 0;
    double redshift = 0, redshiftError = 0, parallax = 0, parallaxError = 0, distance = 0, distanceError = 0;
    quint32 ngc = 0, ic = 0, messier = 0, caldwell = 0, barnard = 0, sharpless = 0, vdb = 0, rcw = 0, ldn = 0, lbn = 0,
            collinder = 0, melotte = 0, pgc = 0, ugc = 0;
    QString ced;
    quint32 arp = 0, vv = 0;
    QString pk, png, snrg, aco, hcg, eso, vdbh;
    quint32 dwb = 0, tr = 0, st = 0, ru = 0, vdbha = 0;
};

// The object types the zoo uses (values of Stellarium 0.22's Nebula::NebulaType).
namespace NebulaType {
constexpr quint32 kGalaxy = 0, kActiveGalaxy = 1, kRadioGalaxy = 2, kInteractingGalaxy = 3, kOpenCluster = 6,
                  kGlobularCluster = 7, kPlanetaryNebula = 11, kEmissionNebula = 15, kClusterWithNebulosity = 16,
                  kHiiRegion = 17;
}

struct NebulaCatalog
{
    QString version;
    QString edition;
    QVector<NebulaRecord> records;
};

// Parses the inflated stream; `origin` names it in errors (a record cut short).
NebulaCatalog parseNebulaCatalog(const QByteArray &stream, const QString &origin);
// Reads and inflates catalog.dat.
NebulaCatalog readNebulaCatalogFile(const QString &file);

// One entry of nebulae/default/textures.json: an image and its sky corners.
struct NebulaTexture
{
    QString image;            // file name beside textures.json
    QVector<QPointF> corners; // (RA, Dec) in degrees
};

// Parses textures.json. Stellarium's file writes some numbers as "-.9794",
// which strict JSON (QJsonDocument) rejects, so a leading "0" is restored in
// numbers outside strings first.
QVector<NebulaTexture> parseNebulaTextures(const QByteArray &json, const QString &origin);
QVector<NebulaTexture> readNebulaTexturesFile(const QString &file);

// "-.5" → "-0.5", ".5" → "0.5" outside JSON strings (exposed for tests).
QByteArray restoreLeadingZeros(const QByteArray &json);

} // namespace wemoe
