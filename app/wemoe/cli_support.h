#pragma once

#include "jobs/job_context.h"
#include "methods/parameter.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <c10/core/Device.h>

namespace wemoe::cli {

// Options every command that computes takes: --device, --threads.
void addComputeOptions(QCommandLineParser &parser);
struct ComputeSettings
{
    c10::Device device = c10::Device(c10::kCPU);
    int threads = 0;
};
ComputeSettings applyComputeOptions(const QCommandLineParser &parser);

// An option that sets a described parameter (threads, the evaluation batch):
// its help, default and range are the parameter's.
QCommandLineOption describedOption(const QString &name, const Parameter &parameter, const QString &valueName);
// Its value, checked; throws wemoe::Error naming the option.
QVariant describedOptionValue(const QCommandLineParser &parser, const QString &name, const Parameter &parameter);

// Parses `arguments` (the command's own, without "wemoe <command>") and handles
// --help. Returns false when the command should stop (help printed or a usage
// error reported); exitCode tells which.
bool parseOrExplain(QCommandLineParser &parser, const QStringList &arguments, const QString &command,
                    const QString &synopsis, int &exitCode);

// A context that draws progress on stderr (a redrawn line on a terminal, one
// line per 10 % otherwise), prints warnings, and is cancelled by Ctrl-C.
JobContext consoleContext(const QString &label);
// Ends the progress line, if one is open.
void finishProgress();

QTextStream &out();
QTextStream &err();

// Reads a number option, throwing wemoe::Error naming the option when it is not one.
double numberOption(const QCommandLineParser &parser, const QString &name);
int integerOption(const QCommandLineParser &parser, const QString &name);
// Byte sizes like "5GB", "500MB", "1000000".
qint64 byteSizeOption(const QCommandLineParser &parser, const QString &name);

} // namespace wemoe::cli

namespace wemoe::cli {
// Writes a text file atomically (AtomicFile); throws wemoe::Error naming it.
void writeTextFile(const QString &path, const QString &text);
} // namespace wemoe::cli
