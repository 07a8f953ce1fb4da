#pragma once

namespace wemoe::ui {

// The wemoe-studio program: application set-up (names, icon, translation),
// the command line (POOL, --demo, --screenshot DIR [POOL]) and the window.
// Returns the process exit code.
int runStudio(int &argc, char **argv);

} // namespace wemoe::ui
