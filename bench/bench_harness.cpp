#include "bench_harness.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace wemoe::bench {

double medianSeconds(const std::function<void()> &work, const TimingOptions &options)
{
    for (int i = 0; i < options.warmup; ++i)
        work();
    std::vector<double> seconds;
    for (int i = 0; i < std::max(1, options.repeats); ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

const Measurement &ResultTable::measure(const QString &group, const QString &variant, long long batch,
                                        const std::function<void()> &work)
{
    Measurement m{group, variant, batch, medianSeconds(work, m_timing)};
    m_rows.push_back(m);
    // Progress on stderr, so a long run shows it is alive; the table goes to stdout.
    std::fprintf(stderr, "  %s | %s | batch %lld: %.2f ms\n", qPrintable(group), qPrintable(variant), batch, m.seconds * 1e3);
    return m_rows.back();
}

void ResultTable::setBaselines(const QString &slowBaseline, const QString &fastBaseline)
{
    m_slowBaseline = slowBaseline;
    m_fastBaseline = fastBaseline;
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
    out << "| measurement | variant | batch | ms / call | images/s | vs " << m_slowBaseline << " | vs "
        << m_fastBaseline << " |\n";
    out << "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n";
    const auto ratio = [](const Measurement *base, const Measurement &m) {
        // How many times faster m is than the baseline.
        return base && m.seconds > 0 ? QStringLiteral("%1×").arg(base->seconds / m.seconds, 0, 'f', 2) : QStringLiteral("–");
    };
    for (const auto &m : m_rows) {
        out << "| " << m.group << " | " << m.variant << " | " << m.batch << " | " << QString::number(m.seconds * 1e3, 'f', 2)
            << " | " << QString::number(m.imagesPerSecond(), 'f', 1) << " | "
            << ratio(find(m.group, m_slowBaseline, m.batch), m) << " | " << ratio(find(m.group, m_fastBaseline, m.batch), m)
            << " |\n";
    }
}

} // namespace wemoe::bench
