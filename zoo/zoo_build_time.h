#pragma once

namespace wemoe {

// Wall time of a zoo build measured on the project's two-core machine
// (docs/ZOO.md, "Build times"; docs/PERFORMANCE.md): what `wemoe zoo --help`
// and the studio quote before a zoo has been built on the user's machine (the
// studio then quotes the user's own last build). Measure again when a recipe
// changes.
// The standard recipe 5: 195 s, `wemoe zoo build` (524 s before every target
// was compiled with OpenMP, when the zoo's parallel loops ran serially).
constexpr int kMeasuredStandardZooBuildSeconds = 195;
// The quick recipe 5: 10 s, `wemoe zoo build --quick --cache-folder DIR`, two
// cores at load 1.6 (9.8 s from the studio).
constexpr int kMeasuredQuickZooBuildSeconds = 10;

} // namespace wemoe
