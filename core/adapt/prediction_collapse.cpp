#include "adapt/prediction_collapse.h"

#include "common/error.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace wemoe {

namespace {

constexpr int kFewestImages = 4;

} // namespace

double topClassShare(const torch::Tensor &logits)
{
    if (logits.dim() != 2)
        throw Error(QStringLiteral("top-class share: expected logits [images, classes]"));
    const int64_t images = logits.size(0);
    if (images < kFewestImages)
        return std::numeric_limits<double>::quiet_NaN();
    const torch::Tensor counts = torch::bincount(logits.detach().argmax(1).to(torch::kCPU), {}, logits.size(1));
    return counts.max().item<double>() / double(images);
}

PredictionCollapseMonitor::PredictionCollapseMonitor(int window, double threshold)
    : m_window(window)
    , m_threshold(threshold)
{
    if (window < 1 || !(threshold > 0.0 && threshold <= 1.0))
        throw Error(QStringLiteral("prediction collapse: window %1 and threshold %2 are out of range")
                        .arg(window)
                        .arg(threshold));
}

void PredictionCollapseMonitor::add(const AdaptationStep &step)
{
    m_recent.push_back(step.topClassShare);
    while (int(m_recent.size()) > m_window)
        m_recent.pop_front();
}

double PredictionCollapseMonitor::recentShare(int task) const
{
    double sum = 0.0;
    int counted = 0;
    for (const QVector<double> &shares : m_recent) {
        if (task < shares.size() && !std::isnan(shares.at(task))) {
            sum += shares.at(task);
            ++counted;
        }
    }
    return counted > 0 ? sum / counted : std::numeric_limits<double>::quiet_NaN();
}

QVector<int> PredictionCollapseMonitor::collapsedTasks() const
{
    int tasks = 0;
    for (const QVector<double> &shares : m_recent)
        tasks = std::max(tasks, int(shares.size()));
    QVector<int> collapsed;
    for (int t = 0; t < tasks; ++t) {
        const double share = recentShare(t);
        if (!std::isnan(share) && share >= m_threshold)
            collapsed.append(t);
    }
    return collapsed;
}

QStringList PredictionCollapseMonitor::warnings(const QStringList &taskNames) const
{
    QStringList lines;
    for (int t : collapsedTasks()) {
        const QString name = t < taskNames.size() ? taskNames.at(t) : QString::number(t);
        lines << QStringLiteral("task '%1': %2 % of the images of the last %3 adaptation steps were predicted as "
                                "one class; entropy minimisation may have collapsed it (its loss still falls). "
                                "Check its accuracy before using the adapted model. For WEMoE, a diversity weight "
                                "(wemoe:diversity=1, or WEMoE's Diversity weight in the studio) makes that collapse "
                                "cost; on the demo zoo a lower learning rate did not avoid it.")
                     .arg(name)
                     .arg(100.0 * recentShare(t), 0, 'f', 0)
                     .arg(int(m_recent.size()));
    }
    return lines;
}

} // namespace wemoe
