#pragma once

#include "models/heat_matrix.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe::ui {

// Routing weights recorded while a WEMoE model classifies test images: for
// every image, layer and expert the mean-over-tokens router output. Expert e
// is task e's task vector, so experts == tasks.size() for a WEMoE model.
// Plain Qt data: the views are built and tested on it before the engine
// produces it.
struct RoutingCapture
{
    QStringList tasks;
    int layers = 0;
    int experts = 0;
    QVector<float> weights;          // [images * layers * experts], image-major
    QVector<int> imageTask;          // task of every image
    QStringList imageFiles;          // path of every image (may be empty)
    QVector<int> trueLabel;          // per image (may be empty)
    QVector<int> predictedLabel;     // per image (may be empty)
    QVector<QStringList> classNames; // per task, for labels (may be empty)
    double initLambda = 0.3;         // the routers' initial λ: what the heatmaps measure weights from

    int imageCount() const { return imageTask.size(); }
    bool isEmpty() const { return imageTask.isEmpty(); }
    float weight(int image, int layer, int expert) const
    {
        return weights.at((image * layers + layer) * experts + expert);
    }
    // Throws wemoe::Error naming the first inconsistency (sizes, task indices).
    void validate() const;
    // Indices of the images of one task, in capture order.
    QVector<int> imagesOfTask(int task) const;
    // "class3" for a task's label index, or the number when names are missing.
    QString className(int task, int label) const;

    // For session files: the weights as base64 of little-endian float32, so
    // they come back bit for bit and stay compact. fromJson validates and
    // throws wemoe::Error.
    QJsonObject toJson() const;
    static RoutingCapture fromJson(const QJsonObject &json);
};

// Mean routing weight over one task's images: rows layers, columns experts.
// NaN everywhere when the task has no image.
HeatMatrix meanRouting(const RoutingCapture &capture, int task);

// One image's routing weights: rows layers, columns experts.
HeatMatrix imageRouting(const RoutingCapture &capture, int image);

// The expert with the largest weight for an image at a layer (the lowest index on ties).
int firstChoiceExpert(const RoutingCapture &capture, int image, int layer);

// The first-choice matrix: rows tasks, columns layers; entry (t, l) is the
// share of task t's images whose largest routing weight at layer l goes to
// expert t, the task's own task vector. Early layers near 1/experts mean
// "not task-specific yet"; values near 1 mean the router found the task.
HeatMatrix firstChoiceShares(const RoutingCapture &capture);

} // namespace wemoe::ui
