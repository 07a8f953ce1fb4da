#pragma once

namespace wemoe::ui {

// Remaining-time estimate from (elapsed time, fraction done) samples. The
// rate is measured from the start of the current phase: when the fraction
// drops (a job moving from loading to evaluating reports a new total), the
// estimate starts over instead of extrapolating the old phase's rate.
class ProgressEstimator
{
public:
    void reset();
    // elapsedSeconds since the job started; fraction in [0, 1].
    void update(double elapsedSeconds, double fraction);
    // Seconds left, or a negative number while there is too little to go on.
    double remainingSeconds() const { return m_remaining; }

private:
    double m_phaseStartSeconds = 0.0;
    double m_phaseStartFraction = 0.0;
    double m_lastFraction = 0.0;
    double m_remaining = -1.0;
};

} // namespace wemoe::ui
