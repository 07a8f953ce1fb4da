#include "zoo/photo_backgrounds.h"

#include "common/error.h"
#include "zoo/image_ops.h"
#include "zoo/package_files.h"
#include "zoo/parallel_for.h"

#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace wemoe {

namespace {

const QString kPackage = QStringLiteral("opencv-doc");
const QString kFolder = QStringLiteral("/usr/share/doc/opencv-doc/examples/data");
constexpr int kStoredSide = 320;

bool isPhotograph(const QString &name)
{
    // Checked by eye: synthetic or non-photographic images of the folder.
    static const QSet<QString> notPhotos{QStringLiteral("Blender_Suzanne1.jpg"),
                                         QStringLiteral("Blender_Suzanne2.jpg"),
                                         QStringLiteral("HappyFish.jpg"),
                                         QStringLiteral("LinuxLogo.jpg"),
                                         QStringLiteral("WindowsLogo.jpg"),
                                         QStringLiteral("aloeGT.png"),
                                         QStringLiteral("cards.png"),
                                         QStringLiteral("chessboard.png"),
                                         QStringLiteral("detect_blob.png"),
                                         QStringLiteral("digits.png"),
                                         QStringLiteral("ellipses.jpg"),
                                         QStringLiteral("gradient.png"),
                                         QStringLiteral("imageTextN.png"),
                                         QStringLiteral("imageTextR.png"),
                                         QStringLiteral("mask.png"),
                                         QStringLiteral("ml.png"),
                                         QStringLiteral("notes.png"),
                                         QStringLiteral("opencv-logo.png"),
                                         QStringLiteral("opencv-logo-white.png"),
                                         QStringLiteral("pic1.png"),
                                         QStringLiteral("pic2.png"),
                                         QStringLiteral("pic3.png"),
                                         QStringLiteral("pic4.png"),
                                         QStringLiteral("pic5.png"),
                                         QStringLiteral("pic6.png"),
                                         QStringLiteral("templ.png"),
                                         QStringLiteral("tmpl.png")};
    static const QRegularExpression stereoShot(QStringLiteral("^(left|right)\\d\\d\\.jpg$"));
    if (notPhotos.contains(name))
        return false;
    return !stereoShot.match(name).hasMatch() || name == QLatin1String("left01.jpg");
}

} // namespace

PhotoBackgrounds PhotoBackgrounds::load(const QString &systemRoot, const JobContext &context)
{
    const QString folder = requirePackageFolder(systemRoot, kFolder, kPackage);
    QStringList files;
    for (const QString &file : filesUnder(folder, {QStringLiteral(".jpg"), QStringLiteral(".png")}, false)) {
        if (isPhotograph(QFileInfo(file).fileName()))
            files.append(file);
    }
    if (files.size() < 10)
        throw Error(folder,
                    QStringLiteral("holds %1 of the sample photographs, expected about 40: is %2 complete? (%3)")
                        .arg(files.size())
                        .arg(kPackage, missingPackageFileMessage(kPackage)));

    std::vector<Photo> photos(size_t(files.size()));
    parallelFor(
        int(files.size()), 0, context,
        [&](int i) {
            photos[size_t(i)] = {QFileInfo(files[i]).fileName(),
                                 shrinkToFit(toBgr(readImageFile(files[i], cv::IMREAD_UNCHANGED)), kStoredSide)};
        },
        [&](int done) {
            context.progress(done, files.size(), QStringLiteral("reading %1 background photos").arg(files.size()));
        });

    PhotoBackgrounds backgrounds;
    for (size_t i = 0; i < photos.size(); ++i)
        backgrounds.m_photos[size_t(i % 5 == 4 ? ZooSplit::Test : ZooSplit::Train)].push_back(std::move(photos[i]));
    return backgrounds;
}

QStringList PhotoBackgrounds::names(ZooSplit split) const
{
    QStringList list;
    for (const Photo &photo : m_photos[size_t(split)])
        list.append(photo.name);
    return list;
}

cv::Mat PhotoBackgrounds::randomCrop(ZooSplit split, int size, double minFraction, SeededRandom &random,
                                     QString *name) const
{
    const std::vector<Photo> &photos = m_photos[size_t(split)];
    const Photo &photo = photos[size_t(random.below(photos.size()))];
    if (name)
        *name = photo.name;
    const int shorter = std::min(photo.bgr.cols, photo.bgr.rows);
    const cv::Rect crop = randomSquare(photo.bgr.size(), int(std::lround(minFraction * shorter)), shorter, random);
    cv::Mat out = resizeSquare(photo.bgr(crop), size);
    if (random.chance(0.5))
        cv::flip(out, out, 1);
    return out;
}

} // namespace wemoe
