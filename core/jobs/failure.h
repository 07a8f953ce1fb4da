#pragma once

#include <QtCore/QString>

#include <functional>

namespace wemoe {

// How a piece of work ended, in the words its user reads: finished, cancelled
// (wemoe::Cancelled, not a failure), or failed with one message — the engine's
// own (wemoe::Error), LibTorch's without its backtrace, "out of memory", or
// whatever else was thrown. The CLI and the studio's jobs report through it.
struct WorkOutcome
{
    enum class State { Finished, Cancelled, Failed };
    State state = State::Finished;
    QString message; // Failed only

    bool failed() const { return state == State::Failed; }
};

// Runs `work`, catching everything it throws.
WorkOutcome runGuarded(const std::function<void()> &work);

} // namespace wemoe
