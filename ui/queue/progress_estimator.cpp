#include "queue/progress_estimator.h"

#include <algorithm>

namespace wemoe::ui {

namespace {

// Below these an estimate is noise: wait for a little progress and a little time.
constexpr double kMinFraction = 0.02;
constexpr double kMinSeconds = 0.5;
// Exponential smoothing keeps the display from jumping with every report.
constexpr double kSmoothing = 0.3;

} // namespace

void ProgressEstimator::reset()
{
    *this = ProgressEstimator();
}

void ProgressEstimator::update(double elapsedSeconds, double fraction)
{
    fraction = std::clamp(fraction, 0.0, 1.0);
    if (fraction < m_lastFraction) {
        m_phaseStartSeconds = elapsedSeconds;
        m_phaseStartFraction = fraction;
        m_remaining = -1.0;
    }
    m_lastFraction = fraction;
    const double progressed = fraction - m_phaseStartFraction;
    const double spent = elapsedSeconds - m_phaseStartSeconds;
    if (fraction >= 1.0) {
        m_remaining = 0.0;
        return;
    }
    if (progressed < kMinFraction || spent < kMinSeconds)
        return;
    const double estimate = spent * (1.0 - fraction) / progressed;
    m_remaining = m_remaining < 0.0 ? estimate : kSmoothing * estimate + (1.0 - kSmoothing) * m_remaining;
}

} // namespace wemoe::ui
