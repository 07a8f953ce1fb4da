#include "cli_support.h"
#include "commands.h"
#include "pool_session.h"

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/hub_cache.h"

#include <QtCore/QDir>

#include <QtCore/QTextStream>

namespace wemoe::cli {

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(
        QStringLiteral("source"),
        QStringLiteral("A model folder (or its .safetensors), or a Hugging Face name (ORG/NAME[@REVISION]) "
                       "found in the local Hugging Face cache."));
    addExportOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("export"),
                        QStringLiteral("Write a checkpoint again as a Hugging Face folder: another storage dtype, "
                                       "other shards, or a clean copy of a model the ecosystem can load."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("export: expected one source (see wemoe export --help)"));
    const ExportOptions options = exportOptionsFrom(parser);
    const Checkpoint source = Checkpoint::load(
        resolveModelLocation(parser.positionalArguments().first(), QDir::currentPath()));
    warnNonFinite(source.vision, source.path, consoleContext(QStringLiteral("check")));
    exportCheckpoint(parser.value(QStringLiteral("output")), source, source.vision, options,
                     consoleContext(QStringLiteral("export")));
    finishProgress();
    err() << "exported " << source.path << " -> " << parser.value(QStringLiteral("output")) << "\n";
    err().flush();
    return 0;
}

} // namespace wemoe::cli
