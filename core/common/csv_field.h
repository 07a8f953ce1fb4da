#pragma once

#include <QtCore/QString>

namespace wemoe {

// One CSV field by RFC 4180: quoted when it holds a separator, a quote or a
// line break, its quotes doubled. Every CSV the project writes (tables,
// heatmaps, curves, coefficients) quotes its names through this.
QString csvField(const QString &text);

} // namespace wemoe
