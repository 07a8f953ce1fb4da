#pragma once

#include <QtCore/QString>

namespace wemoe::ui {

// A job's time for people: "2 min 05 s", "45 s", "1 h 02 min"; "unknown" for
// a negative or infinite number of seconds.
QString formatDuration(double seconds);

} // namespace wemoe::ui
