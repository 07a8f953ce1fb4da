#pragma once

#include <QtCore/QString>

#include <stdexcept>

namespace wemoe {

// Every failure the engine reports to a user: one message that names the file
// (or object) and the cause. Callers print message() and exit non-zero.
class Error : public std::runtime_error
{
public:
    explicit Error(const QString &message);
    // "<file>: <problem>", the shape of every I/O error message.
    Error(const QString &file, const QString &problem);

    QString message() const { return m_message; }

private:
    QString m_message;
};

// The C library's message for errno `error` ("No space left on device"),
// for the "<file>: <problem>: <reason>" of failed system calls.
QString systemErrorText(int error);

// Thrown when a job sees its cancel flag; not a failure, so it is its own type.
class Cancelled : public Error
{
public:
    Cancelled();
};

} // namespace wemoe
