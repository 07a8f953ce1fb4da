#pragma once

#include <atomic>

namespace wemoe {

// Ctrl-C (SIGINT) and SIGTERM for a command-line process: the first sets the
// flag every job polls (outputs are staged, so stopping at the next check
// leaves nothing half-written) and prints `firstMessage`; the second ends the
// process at once with the default action, even when it is blocked somewhere
// no check runs.
void installInterruptHandler(const char *firstMessage);

// The flag the first interrupt sets; give it to JobContext::cancelFlag.
std::atomic<bool> &interruptFlag();

} // namespace wemoe
