#include "controllers/demo_zoo_estimate.h"

#include "common/error.h"
#include "zoo/zoo_build_time.h"
#include "zoo/zoo_pool_builder.h"

#include <QtCore/QSettings>

#include <algorithm>
#include <cmath>

namespace wemoe::ui {

namespace {

QString settingsKey(bool quick)
{
    return quick ? QStringLiteral("zoo/buildSeconds/quick") : QStringLiteral("zoo/buildSeconds/standard");
}

// A build time is worth quoting to the minute, or under a minute to five seconds.
int wholeMinutes(double seconds)
{
    return std::max(1, static_cast<int>(std::lround(seconds / 60.0)));
}

int roundSeconds(double seconds)
{
    return std::max(5, 5 * static_cast<int>(std::lround(seconds / 5.0)));
}

} // namespace

bool isDemoZooCached(bool quick)
{
    ZooBuildOptions options;
    options.quick = quick;
    try {
        return !builtZooPoolFile(options).isEmpty();
    } catch (const Error &) {
        return false; // no cache folder: nothing is cached
    }
}

void recordDemoZooBuild(bool quick, double seconds)
{
    if (seconds > 0 && std::isfinite(seconds))
        QSettings().setValue(settingsKey(quick), seconds);
}

double recordedDemoZooBuildSeconds(bool quick)
{
    const double seconds = QSettings().value(settingsKey(quick), 0.0).toDouble();
    return seconds > 0 && std::isfinite(seconds) ? seconds : 0.0;
}

DemoZooEstimate DemoZooEstimate::current(bool quick)
{
    DemoZooEstimate estimate;
    estimate.quick = quick;
    if (isDemoZooCached(quick)) {
        estimate.source = Source::Cached;
        return estimate;
    }
    estimate.seconds = recordedDemoZooBuildSeconds(quick);
    if (estimate.seconds > 0) {
        estimate.source = Source::ThisMachine;
        return estimate;
    }
    estimate.source = Source::Measured;
    estimate.seconds = quick ? kMeasuredQuickZooBuildSeconds : kMeasuredStandardZooBuildSeconds;
    return estimate;
}

QString DemoZooEstimate::text() const
{
    const QString duration = seconds < 60 ? tr("about %n s", nullptr, roundSeconds(seconds))
                                          : tr("about %n min", nullptr, wholeMinutes(seconds));
    switch (source) {
    case Source::Cached: return tr("Ready: it was built earlier and opens at once.");
    case Source::ThisMachine: return tr("Builds first (once): %1 on this machine (last build).").arg(duration);
    case Source::Measured: return tr("Builds first (once): %1, as measured on two cores.").arg(duration);
    }
    return QString();
}

QString DemoZooEstimate::brief() const
{
    if (source == Source::Cached)
        return tr("ready");
    return seconds < 60 ? tr("~%n s", nullptr, roundSeconds(seconds)) : tr("~%n min", nullptr, wholeMinutes(seconds));
}

} // namespace wemoe::ui
