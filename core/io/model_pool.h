#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QVector>

#include <array>

namespace wemoe {

// Image normalisation applied after resizing, per channel (RGB).
struct Normalization
{
    std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f}; // CLIP's
    std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
};

struct PoolTask
{
    QString name;
    QString checkpoint; // absolute path to the fine-tuned model folder
    QString head;       // absolute path to the head .safetensors
    QString testData;   // absolute path to the test image folder (root/<class>/*)
};

// A model pool file (JSON):
// {
//   "name": "clip-vit-b32-8tasks",                 (optional)
//   "pretrained": "models/pretrained",             folder of the pretrained model
//   "normalization": {"mean": [r,g,b], "std": [r,g,b]},   (optional, CLIP's by default)
//   "tasks": [
//     {"name": "mnist", "checkpoint": "models/mnist", "head": "heads/mnist.safetensors",
//      "test_data": "data/mnist/test"}, ...
//   ]
// }
// Relative paths resolve against the folder holding the pool file.
struct ModelPool
{
    QString path; // the pool file
    QString name;
    QString pretrained;
    Normalization normalization;
    QVector<PoolTask> tasks;

    // Throws wemoe::Error naming the pool file for bad JSON, missing fields,
    // duplicate task names or paths that do not exist.
    static ModelPool load(const QString &poolFile);
    // The same from a parsed pool object; `poolFile` names it in errors and is
    // what relative paths resolve against.
    static ModelPool fromJson(const QJsonObject &json, const QString &poolFile);
    // Writes the pool atomically, with paths relative to the pool file's folder.
    void save(const QString &poolFile) const;

    int taskIndex(const QString &taskName) const; // -1 when absent
};

} // namespace wemoe
