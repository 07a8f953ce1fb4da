#include "moe/routing_capture.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <torch/torch.h>

namespace wemoe {

namespace {

// Rows of `weights` that belong to `task`'s images.
torch::Tensor taskMask(const QVector<int> &imageTask, int task)
{
    const std::vector<int64_t> ids(imageTask.begin(), imageTask.end());
    return torch::tensor(ids, torch::kInt64).eq(task);
}

QJsonArray toJson(const QVector<int> &values)
{
    QJsonArray array;
    for (int v : values)
        array.append(v);
    return array;
}

QVector<int> intsFrom(const QJsonValue &value, const QString &file, const char *key, int expected)
{
    const auto array = value.toArray();
    if (array.size() != expected)
        throw Error(file, QStringLiteral("routing capture: '%1' has %2 entries for %3 images")
                              .arg(QLatin1String(key))
                              .arg(array.size())
                              .arg(expected));
    QVector<int> result;
    for (const auto &v : array)
        result.append(v.toInt());
    return result;
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

torch::Tensor RoutingCapture::meanPerTask() const
{
    auto result = torch::full({experts(), layers(), experts()}, std::nan(""), torch::kFloat32);
    for (int t = 0; t < experts(); ++t) {
        const auto rows = weights.index({taskMask(imageTask, t)});
        if (rows.size(0) > 0)
            result[t] = rows.mean(0);
    }
    return result;
}

torch::Tensor RoutingCapture::stdPerTask() const
{
    auto result = torch::full({experts(), layers(), experts()}, std::nan(""), torch::kFloat32);
    for (int t = 0; t < experts(); ++t) {
        const auto rows = weights.index({taskMask(imageTask, t)});
        if (rows.size(0) > 1)
            result[t] = rows.std(0, /*unbiased=*/true);
        else if (rows.size(0) == 1)
            result[t] = torch::zeros({layers(), experts()});
    }
    return result;
}

torch::Tensor RoutingCapture::firstChoice() const
{
    auto result = torch::full({experts(), layers()}, std::nan(""), torch::kFloat32);
    for (int t = 0; t < experts(); ++t) {
        const auto rows = weights.index({taskMask(imageTask, t)});
        if (rows.size(0) > 0)
            result[t] = rows.argmax(2).eq(t).to(torch::kFloat32).mean(0);
    }
    return result;
}

void RoutingCapture::save(const QString &basePath) const
{
    QJsonObject info;
    info.insert(QStringLiteral("tasks"), QJsonArray::fromStringList(tasks));
    info.insert(QStringLiteral("routing"), routingModeName(mode));
    info.insert(QStringLiteral("image_task"), toJson(imageTask));
    info.insert(QStringLiteral("image_index"), toJson(imageIndex));
    info.insert(QStringLiteral("image_files"), QJsonArray::fromStringList(imageFiles));
    info.insert(QStringLiteral("true_label"), toJson(trueLabel));
    info.insert(QStringLiteral("predicted_label"), toJson(predictedLabel));
    Metadata metadata{{"wemoe_routing_capture", QJsonDocument(info).toJson(QJsonDocument::Compact).toStdString()}};
    writeSafetensors(basePath + QStringLiteral(".safetensors"), TensorMap{{"routing_weights", weights.contiguous()}},
                     metadata);

    QString csv = QStringLiteral("task,image_index,file,true_label,predicted_label,layer");
    for (const QString &task : tasks)
        csv += QStringLiteral(",w_") + csvField(task);
    csv += QLatin1Char('\n');
    const auto w = weights.to(torch::kFloat64).contiguous();
    const auto data = w.accessor<double, 3>();
    for (int i = 0; i < images(); ++i)
        for (int l = 0; l < layers(); ++l) {
            csv += QStringLiteral("%1,%2,%3,%4,%5,%6")
                       .arg(csvField(tasks.at(imageTask[i])))
                       .arg(imageIndex[i])
                       .arg(csvField(imageFiles.value(i)))
                       .arg(trueLabel.value(i))
                       .arg(predictedLabel.value(i))
                       .arg(l);
            for (int e = 0; e < experts(); ++e)
                csv += QLatin1Char(',') + QString::number(data[i][l][e], 'g', 8);
            csv += QLatin1Char('\n');
        }
    writeFileAtomically(basePath + QStringLiteral(".csv"), csv.toUtf8());
}

RoutingCapture RoutingCapture::load(const QString &path)
{
    const auto contents = readSafetensors(path);
    const auto meta = contents.metadata.find("wemoe_routing_capture");
    const auto tensor = contents.tensors.find("routing_weights");
    if (meta == contents.metadata.end() || tensor == contents.tensors.end())
        throw Error(path, QStringLiteral(
                              "not a routing capture (no routing_weights tensor or wemoe_routing_capture metadata)"));
    const auto info = QJsonDocument::fromJson(QByteArray::fromStdString(meta->second)).object();
    RoutingCapture capture;
    for (const auto &t : info.value(QStringLiteral("tasks")).toArray())
        capture.tasks << t.toString();
    capture.mode = info.value(QStringLiteral("routing")).toString() == routingModeName(RoutingMode::BatchReduce)
                       ? RoutingMode::BatchReduce
                       : RoutingMode::PerSample;
    capture.weights = tensor->second.to(torch::kFloat32).clone();
    if (capture.weights.dim() != 3 || capture.weights.size(2) != capture.tasks.size())
        throw Error(path, QStringLiteral("routing capture: weights %1 do not fit %2 tasks")
                              .arg(QString::fromStdString(c10::str(capture.weights.sizes())))
                              .arg(capture.tasks.size()));
    const int n = static_cast<int>(capture.weights.size(0));
    capture.imageTask = intsFrom(info.value(QStringLiteral("image_task")), path, "image_task", n);
    capture.imageIndex = intsFrom(info.value(QStringLiteral("image_index")), path, "image_index", n);
    capture.trueLabel = intsFrom(info.value(QStringLiteral("true_label")), path, "true_label", n);
    capture.predictedLabel = intsFrom(info.value(QStringLiteral("predicted_label")), path, "predicted_label", n);
    for (const auto &f : info.value(QStringLiteral("image_files")).toArray())
        capture.imageFiles << f.toString();
    for (int t : capture.imageTask)
        if (t < 0 || t >= capture.tasks.size())
            throw Error(path, QStringLiteral("routing capture: image task %1 out of range").arg(t));
    return capture;
}

QString RoutingCapture::summaryCsv() const
{
    const auto mean = meanPerTask().to(torch::kFloat64);
    const auto sd = stdPerTask().to(torch::kFloat64);
    const auto first = firstChoice().to(torch::kFloat64);
    QString csv = QStringLiteral("task,layer,first_choice");
    for (const QString &task : tasks)
        csv += QStringLiteral(",mean_") + csvField(task) + QStringLiteral(",std_") + csvField(task);
    csv += QLatin1Char('\n');
    for (int t = 0; t < experts(); ++t)
        for (int l = 0; l < layers(); ++l) {
            csv +=
                QStringLiteral("%1,%2,%3").arg(csvField(tasks.at(t))).arg(l).arg(first[t][l].item<double>(), 0, 'g', 6);
            for (int e = 0; e < experts(); ++e)
                csv += QStringLiteral(",%1,%2")
                           .arg(mean[t][l][e].item<double>(), 0, 'g', 6)
                           .arg(sd[t][l][e].item<double>(), 0, 'g', 6);
            csv += QLatin1Char('\n');
        }
    return csv;
}

} // namespace wemoe
