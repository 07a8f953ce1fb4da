// Ctrl-C in a command-line process: the first interrupt only sets the cancel
// flag; the second ends the process even while it is blocked where no cancel
// check runs (here: a read from a pipe nobody writes to).

#include "jobs/interrupt_handler.h"

#include <QtTest/QtTest>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// Reads one byte from `fd`, retrying after interrupts; returns what read() said.
ssize_t readByte(int fd, char *byte)
{
    ssize_t n;
    do {
        n = ::read(fd, byte, 1);
    } while (n < 0 && errno == EINTR);
    return n;
}

} // namespace

class TestInterruptHandler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstSetsTheFlagSecondEndsTheProcess()
    {
        int never[2];    // nobody writes to it: the child blocks reading it
        int messages[2]; // the child's stderr: the first interrupt's message arrives here
        QCOMPARE(::pipe(never), 0);
        QCOMPARE(::pipe(messages), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            // Only async-signal-safe calls in the child of a threaded process.
            ::dup2(messages[1], STDERR_FILENO);
            wemoe::installInterruptHandler("first\n");
            const ssize_t ignored = ::write(STDERR_FILENO, "ready\n", 6);
            (void)ignored;
            char byte = 0;
            readByte(never[0], &byte); // blocks for good: the write end stays open in the parent
            ::_exit(wemoe::interruptFlag().load() ? 3 : 4);
        }
        ::close(messages[1]);

        // The child says when its handler is installed; a SIGINT before that
        // would end it with the default action.
        char got[6] = {};
        QCOMPARE(::read(messages[0], got, 6), ssize_t(6));
        QCOMPARE(QByteArray(got, 6), QByteArray("ready\n"));
        ::kill(child, SIGINT);
        QCOMPARE(::read(messages[0], got, 6), ssize_t(6));
        QCOMPARE(QByteArray(got, 6), QByteArray("first\n"));
        int status = 0;
        // Still blocked in read(): the first interrupt did not end it.
        ::usleep(50000);
        QCOMPARE(::waitpid(child, &status, WNOHANG), 0);

        ::kill(child, SIGINT);
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(WTERMSIG(status), SIGINT);
        ::close(never[0]);
        ::close(never[1]);
        ::close(messages[0]);
    }
};

QTEST_GUILESS_MAIN(TestInterruptHandler)
#include "test_interrupt_handler.moc"
