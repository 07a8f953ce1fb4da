#include "bench_harness.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace wemoe::bench {

double medianOf(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

Timing timeCalls(const std::function<void()> &work, const TimingOptions &options)
{
    for (int i = 0; i < options.warmup; ++i)
        work();
    std::vector<double> seconds;
    for (int i = 0; i < std::max(1, options.repeats); ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return {medianOf(seconds), *std::min_element(seconds.begin(), seconds.end())};
}

const Measurement &ResultTable::measure(const QString &group, const QString &variant, long long batch,
                                        const std::function<void()> &work)
{
    return measure(group, variant, batch, work, m_timing);
}

const Measurement &ResultTable::measure(const QString &group, const QString &variant, long long batch,
                                        const std::function<void()> &work, const TimingOptions &options)
{
    const auto timing = timeCalls(work, options);
    Measurement m{group, variant, batch, timing.median, timing.min, std::max(1, options.repeats)};
    m_rows.push_back(m);
    // Progress on stderr, so a long run shows it is alive; the table goes to stdout.
    std::fprintf(stderr, "  %s | %s | batch %lld: %.2f ms (min %.2f)\n", qPrintable(group), qPrintable(variant), batch,
                 m.seconds * 1e3, m.minSeconds * 1e3);
    return m_rows.back();
}

const Measurement *ResultTable::find(const QString &group, const QString &variant, long long batch) const
{
    for (const auto &m : m_rows)
        if (m.group == group && m.variant == variant && m.batch == batch)
            return &m;
    return nullptr;
}

void ResultTable::printMarkdown(QTextStream &out) const
{
    out << "| measurement | variant | batch | ms / call | min ms | calls | images/s |";
    for (const auto &b : m_baselines)
        out << " × vs " << b << " |";
    out << "\n| --- | --- | ---: | ---: | ---: | ---: | ---: |";
    for (std::size_t i = 0; i < m_baselines.size(); ++i)
        out << " ---: |";
    out << "\n";
    for (const auto &m : m_rows) {
        out << "| " << m.group << " | " << m.variant << " | " << m.batch << " | "
            << QString::number(m.seconds * 1e3, 'f', 1) << " | " << QString::number(m.minSeconds * 1e3, 'f', 1) << " | "
            << m.calls << " | " << QString::number(m.imagesPerSecond(), 'f', m.imagesPerSecond() < 10 ? 2 : 1) << " |";
        for (const auto &variant : m_baselines) {
            // How many times faster this row is than the baseline (medians).
            const auto *base = find(m.group, variant, m.batch);
            out << " "
                << (base && m.seconds > 0 ? QString::number(base->seconds / m.seconds, 'f', 2) : QStringLiteral("–"))
                << " |";
        }
        out << "\n";
    }
}

} // namespace wemoe::bench
