#pragma once

#include <QtCore/QString>
#include <QtCore/QTextStream>

#include <functional>
#include <vector>

namespace wemoe::bench {

struct TimingOptions
{
    int warmup = 1;  // untimed calls first (allocator, lazy thread pools, caches)
    int repeats = 5; // timed calls; the median is reported
};

struct Timing
{
    double median = 0; // seconds per call
    double min = 0;    // the least disturbed call: on a busy machine the better estimate
};

// The middle value once sorted (the upper of the two middle ones for an even
// count); 0 for none. Every median the benchmark reports.
double medianOf(std::vector<double> values);

// Wall time of `work` over options.repeats calls after options.warmup calls.
Timing timeCalls(const std::function<void()> &work, const TimingOptions &options);

// One line of the results table.
struct Measurement
{
    QString group;   // what is measured, e.g. "forward, one block MLP"
    QString variant; // how, e.g. "per-sample, merge-row-chunks"
    long long batch = 0;
    double seconds = 0;    // median per call
    double minSeconds = 0; // fastest call
    int calls = 0;         // timed calls behind the median
    double imagesPerSecond() const { return seconds > 0 ? double(batch) / seconds : 0; }
};

// Collects measurements and prints them as a Markdown table, with each row's
// speed relative to baseline rows (by variant) of the same group and batch.
class ResultTable
{
public:
    explicit ResultTable(TimingOptions timing)
        : m_timing(timing)
    {
    }

    // Times `work` (one call processes `batch` images) and records it.
    const Measurement &measure(const QString &group, const QString &variant, long long batch,
                               const std::function<void()> &work);
    // The same with its own warm-up and repeats (for variants too slow to repeat).
    const Measurement &measure(const QString &group, const QString &variant, long long batch,
                               const std::function<void()> &work, const TimingOptions &timing);

    // One "vs <variant>" column per baseline (blank where the table lacks that row).
    void setBaselines(const std::vector<QString> &variants) { m_baselines = variants; }

    void printMarkdown(QTextStream &out) const;
    const std::vector<Measurement> &rows() const { return m_rows; }
    const Measurement *find(const QString &group, const QString &variant, long long batch) const;
    const TimingOptions &timing() const { return m_timing; }

private:
    TimingOptions m_timing;
    std::vector<Measurement> m_rows;
    std::vector<QString> m_baselines;
};

} // namespace wemoe::bench
