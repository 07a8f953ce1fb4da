#pragma once

#include <QtCore/QProcess>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe::test {

// What a finished `wemoe` process said: its exit code (-1 when it crashed,
// was killed or timed out) and its output.
struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Waits for a started process (killing it after timeoutMs) and collects it.
CliResult finishCli(QProcess &process, int timeoutMs = 180000);

// Runs `program` with `arguments` to the end, in `workingDirectory` when one is given.
CliResult runCli(const QString &program, const QStringList &arguments, int timeoutMs = 180000,
                 const QString &workingDirectory = {});

} // namespace wemoe::test
