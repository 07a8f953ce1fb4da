#pragma once

#include "adapt/adaptation_progress.h"

#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

#include <deque>

namespace wemoe {

// Share of a batch's images predicted as the batch's most frequent class, from
// logits [B, C]. NaN below 4 images, where one class is no sign of anything.
double topClassShare(const torch::Tensor &logits);

// Entropy minimisation has a degenerate optimum: every image of a task
// predicted as one class has zero entropy. The loss curve falls just the same
// (it falls fastest there), so adaptation watches the predictions instead: a
// task whose recent batches went almost entirely to one class is reported,
// for the user to check its accuracy before trusting the adapted model.
class PredictionCollapseMonitor
{
public:
    // Judges the last `window` steps; a task collapses at a mean share >= threshold.
    explicit PredictionCollapseMonitor(int window = 10, double threshold = 0.9);

    void add(const AdaptationStep &step);
    // Mean top-class share of task t over the window (NaN when not measured).
    double recentShare(int task) const;
    QVector<int> collapsedTasks() const;
    // One line per collapsed task, naming it (empty when none).
    QStringList warnings(const QStringList &taskNames) const;

private:
    int m_window;
    double m_threshold;
    std::deque<QVector<double>> m_recent;
};

} // namespace wemoe
