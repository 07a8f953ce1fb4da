#include "models/routing_capture.h"

#include "common/error.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QtEndian>

#include <cstring>

#include <cmath>
#include <limits>

namespace wemoe::ui {

namespace {

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

QStringList numbered(const QString &prefix, int count)
{
    QStringList labels;
    for (int i = 0; i < count; ++i)
        labels << prefix + QString::number(i);
    return labels;
}

QStringList expertLabels(const RoutingCapture &capture)
{
    QStringList labels;
    for (int e = 0; e < capture.experts; ++e)
        labels << (e < capture.tasks.size() ? capture.tasks.at(e) : QString::number(e));
    return labels;
}

HeatMatrix layersByExperts(const RoutingCapture &capture)
{
    HeatMatrix matrix(capture.layers, capture.experts, kNoValue);
    matrix.rowLabels = numbered(QString(), capture.layers);
    matrix.columnLabels = expertLabels(capture);
    matrix.rowTitle = QCoreApplication::translate("wemoe::ui::RoutingCapture", "layer");
    matrix.columnTitle = QCoreApplication::translate("wemoe::ui::RoutingCapture", "expert");
    return matrix;
}

} // namespace

void RoutingCapture::validate() const
{
    const QString what = QStringLiteral("routing capture");
    if (layers <= 0 || experts <= 0)
        throw Error(what,
                    QStringLiteral("needs at least one layer and one expert (has %1 and %2)").arg(layers).arg(experts));
    const qint64 expected = qint64(imageTask.size()) * layers * experts;
    if (weights.size() != expected)
        throw Error(what, QStringLiteral("holds %1 weights, but %2 images x %3 layers x %4 experts need %5")
                              .arg(weights.size())
                              .arg(imageTask.size())
                              .arg(layers)
                              .arg(experts)
                              .arg(expected));
    for (int i = 0; i < imageTask.size(); ++i) {
        if (imageTask[i] < 0 || imageTask[i] >= tasks.size())
            throw Error(what, QStringLiteral("image %1 belongs to task %2, but there are %3 tasks")
                                  .arg(i)
                                  .arg(imageTask[i])
                                  .arg(tasks.size()));
    }
    const auto checkPerImage = [&](qsizetype size, const char *name) {
        if (size != 0 && size != imageTask.size())
            throw Error(what, QStringLiteral("%1 has %2 entries for %3 images")
                                  .arg(QLatin1String(name))
                                  .arg(size)
                                  .arg(imageTask.size()));
    };
    checkPerImage(imageFiles.size(), "imageFiles");
    checkPerImage(trueLabel.size(), "trueLabel");
    checkPerImage(predictedLabel.size(), "predictedLabel");
}

QVector<int> RoutingCapture::imagesOfTask(int task) const
{
    QVector<int> images;
    for (int i = 0; i < imageTask.size(); ++i) {
        if (imageTask[i] == task)
            images << i;
    }
    return images;
}

QString RoutingCapture::className(int task, int label) const
{
    if (task >= 0 && task < classNames.size() && label >= 0 && label < classNames[task].size())
        return classNames[task].at(label);
    return QString::number(label);
}

HeatMatrix meanRouting(const RoutingCapture &capture, int task)
{
    capture.validate();
    HeatMatrix matrix = layersByExperts(capture);
    matrix.valueTitle = QCoreApplication::translate("wemoe::ui::RoutingCapture", "mean routing weight");
    const QVector<int> images = capture.imagesOfTask(task);
    if (images.isEmpty())
        return matrix;
    for (int l = 0; l < capture.layers; ++l) {
        for (int e = 0; e < capture.experts; ++e) {
            double sum = 0.0;
            for (const int i : images)
                sum += capture.weight(i, l, e);
            matrix.at(l, e) = sum / images.size();
        }
    }
    return matrix;
}

HeatMatrix imageRouting(const RoutingCapture &capture, int image)
{
    capture.validate();
    if (image < 0 || image >= capture.imageCount())
        throw Error(QStringLiteral("routing capture"),
                    QStringLiteral("image %1 is out of range (%2 images)").arg(image).arg(capture.imageCount()));
    HeatMatrix matrix = layersByExperts(capture);
    matrix.valueTitle = QCoreApplication::translate("wemoe::ui::RoutingCapture", "routing weight");
    for (int l = 0; l < capture.layers; ++l) {
        for (int e = 0; e < capture.experts; ++e)
            matrix.at(l, e) = capture.weight(image, l, e);
    }
    return matrix;
}

int firstChoiceExpert(const RoutingCapture &capture, int image, int layer)
{
    int best = 0;
    for (int e = 1; e < capture.experts; ++e) {
        if (capture.weight(image, layer, e) > capture.weight(image, layer, best))
            best = e;
    }
    return best;
}

HeatMatrix firstChoiceShares(const RoutingCapture &capture)
{
    capture.validate();
    HeatMatrix matrix(capture.tasks.size(), capture.layers, kNoValue);
    matrix.rowLabels = capture.tasks;
    matrix.columnLabels = numbered(QString(), capture.layers);
    matrix.rowTitle = QCoreApplication::translate("wemoe::ui::RoutingCapture", "task");
    matrix.columnTitle = QCoreApplication::translate("wemoe::ui::RoutingCapture", "layer");
    matrix.valueTitle = QCoreApplication::translate("wemoe::ui::RoutingCapture",
                                                    "share routed first to the own expert");
    for (int t = 0; t < capture.tasks.size(); ++t) {
        const QVector<int> images = capture.imagesOfTask(t);
        if (images.isEmpty() || t >= capture.experts)
            continue; // no images, or no expert of its own: no share to show
        for (int l = 0; l < capture.layers; ++l) {
            int own = 0;
            for (const int i : images) {
                if (firstChoiceExpert(capture, i, l) == t)
                    ++own;
            }
            matrix.at(t, l) = double(own) / images.size();
        }
    }
    return matrix;
}

namespace {

QJsonArray intArray(const QVector<int> &values)
{
    QJsonArray array;
    for (const int v : values)
        array.append(v);
    return array;
}

QVector<int> intsFrom(const QJsonValue &value)
{
    QVector<int> values;
    for (const QJsonValue &v : value.toArray())
        values << v.toInt(-1);
    return values;
}

QStringList stringsFrom(const QJsonValue &value)
{
    QStringList values;
    for (const QJsonValue &v : value.toArray())
        values << v.toString();
    return values;
}

} // namespace

QJsonObject RoutingCapture::toJson() const
{
    QByteArray bytes(weights.size() * qsizetype(sizeof(float)), Qt::Uninitialized);
    for (qsizetype i = 0; i < weights.size(); ++i) {
        quint32 bits;
        std::memcpy(&bits, &weights[i], sizeof bits);
        qToLittleEndian(bits, bytes.data() + i * sizeof bits);
    }
    QJsonArray names;
    for (const QStringList &perTask : classNames)
        names.append(QJsonArray::fromStringList(perTask));
    return QJsonObject{{QStringLiteral("tasks"), QJsonArray::fromStringList(tasks)},
                       {QStringLiteral("layers"), layers},
                       {QStringLiteral("experts"), experts},
                       {QStringLiteral("weights_f32le_base64"), QString::fromLatin1(bytes.toBase64())},
                       {QStringLiteral("image_task"), intArray(imageTask)},
                       {QStringLiteral("image_files"), QJsonArray::fromStringList(imageFiles)},
                       {QStringLiteral("true_label"), intArray(trueLabel)},
                       {QStringLiteral("predicted_label"), intArray(predictedLabel)},
                       {QStringLiteral("class_names"), names},
                       {QStringLiteral("init_lambda"), initLambda}};
}

RoutingCapture RoutingCapture::fromJson(const QJsonObject &json)
{
    RoutingCapture capture;
    capture.tasks = stringsFrom(json.value(QStringLiteral("tasks")));
    capture.layers = json.value(QStringLiteral("layers")).toInt();
    capture.experts = json.value(QStringLiteral("experts")).toInt();
    const QByteArray bytes = QByteArray::fromBase64(
        json.value(QStringLiteral("weights_f32le_base64")).toString().toLatin1());
    if (bytes.size() % qsizetype(sizeof(float)) != 0)
        throw Error(QStringLiteral("routing capture"), QStringLiteral("the weights are not whole float32 values"));
    capture.weights.resize(bytes.size() / qsizetype(sizeof(float)));
    for (qsizetype i = 0; i < capture.weights.size(); ++i) {
        const quint32 bits = qFromLittleEndian<quint32>(bytes.constData() + i * sizeof(quint32));
        std::memcpy(&capture.weights[i], &bits, sizeof bits);
    }
    capture.imageTask = intsFrom(json.value(QStringLiteral("image_task")));
    capture.imageFiles = stringsFrom(json.value(QStringLiteral("image_files")));
    capture.trueLabel = intsFrom(json.value(QStringLiteral("true_label")));
    capture.predictedLabel = intsFrom(json.value(QStringLiteral("predicted_label")));
    for (const QJsonValue &perTask : json.value(QStringLiteral("class_names")).toArray())
        capture.classNames << stringsFrom(perTask);
    // Sessions saved before λ₀ was recorded: the routers' default.
    capture.initLambda = json.value(QStringLiteral("init_lambda")).toDouble(capture.initLambda);
    capture.validate();
    return capture;
}

} // namespace wemoe::ui
