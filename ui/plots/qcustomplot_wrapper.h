#pragma once

// The only way into QCustomPlot. Its header uses Qt's `signals` and `foreach`
// keywords, which QT_NO_KEYWORDS (needed by the torch headers) removes: they
// are spelled out for the include and undefined right after, so no other code
// sees them.
#include <QtCore/qglobal.h>

#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals
