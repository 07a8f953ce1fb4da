#pragma once

#include "models/routing_capture.h"

namespace wemoe {
struct LoadedPool;
struct RoutingCapture;
} // namespace wemoe

namespace wemoe::ui {

// The engine's capture ([images, layers, experts] tensor) as the views' plain
// Qt data, with the class names of the pool's heads for the image labels.
// Only .cpp files that include wemoe/routing_capture.h can call this.
RoutingCapture toUiCapture(const wemoe::RoutingCapture &capture, const LoadedPool &pool);

} // namespace wemoe::ui
