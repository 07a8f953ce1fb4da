#include "queue/duration_text.h"

#include <QtCore/QCoreApplication>

#include <cmath>

namespace wemoe::ui {

QString formatDuration(double seconds)
{
    if (seconds < 0 || !std::isfinite(seconds))
        return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "unknown");
    const qint64 total = static_cast<qint64>(std::llround(seconds));
    const qint64 hours = total / 3600;
    const qint64 minutes = (total % 3600) / 60;
    const qint64 secs = total % 60;
    if (hours > 0)
        return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "%1 h %2 min")
            .arg(hours)
            .arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "%1 min %2 s")
            .arg(minutes)
            .arg(secs, 2, 10, QLatin1Char('0'));
    return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "%1 s").arg(secs);
}

} // namespace wemoe::ui
