#pragma once

#include "models/heat_matrix.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

#include <cmath>
#include <limits>

namespace wemoe::ui {

// The merging coefficients λ an AdaMerging run learned, as plain Qt data: one
// row per group (a parameter tensor for layer-wise, the single row "all" for
// task-wise), one column per task. A run of this session or a saved
// adamerging-coefficients.json fills it (ui/controllers), so the λ views are
// built and tested without the engine.
struct CoefficientTable
{
    QString method; // the run's accuracy-table row
    QString source; // the file it was read from; empty for a run of this session
    QStringList tasks;
    QStringList groups;
    QVector<double> values; // row-major [groups, tasks]
    // The λ every coefficient started from, when known (a run of this
    // session); NaN for a saved file, which does not record it.
    double initLambda = std::numeric_limits<double>::quiet_NaN();

    bool isEmpty() const { return groups.isEmpty() || tasks.isEmpty(); }
    bool knowsInitLambda() const { return std::isfinite(initLambda); }
    double at(int group, int task) const { return values.at(group * tasks.size() + task); }
    // What the run pickers call it: the row, and the file when it came from one.
    QString displayName() const;
    // Throws wemoe::Error naming the first inconsistency (sizes, no names).
    void validate() const;

    // For session files; the values are float32s widened to double, which
    // JSON keeps bit for bit. fromJson validates and throws wemoe::Error.
    QJsonObject toJson() const;
    static CoefficientTable fromJson(const QJsonObject &json);
};

// What a row of the λ heatmap stands for.
enum class CoefficientRows {
    EachTensor, // one row per group, as learned
    BlockMean   // the mean over each transformer block's tensors (ViT-B/32 has ~200 tensors, 12 blocks)
};

// "encoder.layers.3.mlp.fc1.weight" -> "L3 mlp.fc1.weight": the block's
// number and the tensor, without the prefix every block tensor shares.
QString shortTensorLabel(const QString &name);

// The block a tensor belongs to: "layer 3" for "encoder.layers.3.…", else the
// first part of its name ("embeddings", "post_layernorm").
QString tensorBlock(const QString &name);

// The groups in the order of the model: the tensors before the encoder
// (embeddings, pre_layrnorm), the blocks by number (2 before 10, which a
// sorted list of names gets wrong), then the rest; the learned order within.
QVector<int> modelOrder(const QStringList &groups);

// The heatmap of a table: rows groups (in model order) or blocks, columns
// tasks. Each-tensor rows keep the tensors' full names for the tooltip and CSV.
HeatMatrix coefficientMatrix(const CoefficientTable &table, CoefficientRows rows);

} // namespace wemoe::ui
