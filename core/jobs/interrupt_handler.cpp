#include "jobs/interrupt_handler.h"

#include <csignal>
#include <cstring>
#include <unistd.h>

namespace wemoe {

namespace {

// Read from the handler: only set before the handler is installed.
const char *g_firstMessage = "";

extern "C" void onInterrupt(int signal)
{
    // Only async-signal-safe calls here: an atomic exchange, write, signal, raise.
    if (interruptFlag().exchange(true)) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    const ssize_t ignored = ::write(STDERR_FILENO, g_firstMessage, std::strlen(g_firstMessage));
    (void)ignored;
}

} // namespace

std::atomic<bool> &interruptFlag()
{
    static std::atomic<bool> flag{false};
    static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");
    return flag;
}

void installInterruptHandler(const char *firstMessage)
{
    g_firstMessage = firstMessage;
    interruptFlag(); // constructed before any signal can arrive
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

} // namespace wemoe
