#pragma once

#include "cli_support.h"
#include "eval/accuracy_table.h"
#include "eval/evaluator.h"
#include "pool/loaded_pool.h"

#include <QtCore/QCommandLineParser>

namespace wemoe::cli {

// Options shared by the commands that evaluate on a pool.
void addEvalOptions(QCommandLineParser &parser);
EvalOptions evalOptionsFrom(const QCommandLineParser &parser, const ComputeSettings &compute);

// Loads a pool with progress on stderr; with --max-per-task (a command that
// took addEvalOptions), cut to a seeded subset of each task's test images.
LoadedPool loadPoolVerbose(const QString &poolFile, const QCommandLineParser *parser = nullptr);

// Prints the table as Markdown on stdout and writes every --table file.
void reportTable(const AccuracyTable &table, const QCommandLineParser &parser);

// Add: -o/--output too; Shared: the command declares its own --output.
enum class ExportOutputOption { Add, Shared };
void addExportOptions(QCommandLineParser &parser, ExportOutputOption output = ExportOutputOption::Add);
ExportOptions exportOptionsFrom(const QCommandLineParser &parser);

} // namespace wemoe::cli
