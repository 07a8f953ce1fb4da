// wemoe: the engine of WEMoE Studio on the command line.

#include "cli_support.h"
#include "commands.h"

#include "common/error.h"
#include "common/freed_memory.h"
#include "common/printable_text.h"
#include "jobs/failure.h"
#include "jobs/interrupt_handler.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringDecoder>
#include <QtCore/QTextStream>
#include <QtGui/QGuiApplication>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>

namespace {

struct Command
{
    std::function<int(const QStringList &)> run;
    const char *summary;
};

const std::map<QString, Command> &commands()
{
    using namespace wemoe::cli;
    static const std::map<QString, Command> table{
        {QStringLiteral("info"), {runInfo, "print a checkpoint's config, tensors, dtypes, parameters and size"}},
        {QStringLiteral("merge"), {runMerge, "merge a pool's task models with one method and export the result"}},
        {QStringLiteral("eval"), {runEval, "evaluate merge methods (or exported models) on a pool: accuracy table"}},
        {QStringLiteral("sweep"), {runSweep, "evaluate a method over a range of scaling factors"}},
        {QStringLiteral("export"), {runExport, "re-export a checkpoint (dtype, sharding) as a Hugging Face folder"}},
        {QStringLiteral("upscale"), {runUpscale, "build a WEMoE model (MLPs upscaled into weight-ensembling experts)"}},
        {QStringLiteral("adapt"), {runAdapt, "test-time adaptation: WEMoE routers or AdaMerging coefficients"}},
        {QStringLiteral("collapse"), {runCollapse, "fold a WEMoE model into plain per-task CLIP checkpoints"}},
        {QStringLiteral("similarity"),
         {runSimilarity, "cosine similarity of a pool's task vectors (how much they interfere)"}},
        {QStringLiteral("heads"),
         {runHeads, "build a zero-shot classification head from CLIP's text tower and tokenizer"}},
        {QStringLiteral("pool"),
         {runPool, "make model pools (synth: a small random pool; import: a FusionBench pool file)"}},
        {QStringLiteral("zoo"),
         {runZoo, "build the demo model pool from Debian-packaged images (zoo build, path, entropy)"}},
    };
    return table;
}

void printUsage(QTextStream &stream)
{
    stream << "Usage: wemoe <command> [options]\n\n"
              "Merge fine-tuned CLIP vision models (task arithmetic, TIES, DARE, ...) and evaluate them.\n\n"
              "Commands:\n";
    // The summaries start two spaces after the longest command name.
    qsizetype width = 0;
    for (const auto &entry : commands())
        width = std::max(width, entry.first.size());
    for (const auto &[name, command] : commands())
        stream << "  " << name.leftJustified(width + 2) << command.summary << "\n";
    stream << "\nRun 'wemoe <command> --help' for a command's options.\n";
}

// Qt turns bytes that are not UTF-8 into U+FFFD, so such a file name would
// silently become another (missing) one; say so instead.
int refuseNonUtf8Arguments(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString decoded = decoder.decode(QByteArrayView(argv[i]));
        if (!decoder.hasError())
            continue;
        QByteArray shown;
        for (const char c : QByteArrayView(argv[i])) {
            const auto byte = static_cast<unsigned char>(c);
            shown += byte >= 0x20 && byte < 0x7f ? QByteArray(1, c)
                                                 : "\\x" + QByteArray::number(byte, 16).rightJustified(2, '0');
        }
        std::fprintf(stderr,
                     "wemoe: argument %d ('%s') is not valid UTF-8; wemoe reads file names as UTF-8: "
                     "rename the file, or pass a link to it with a UTF-8 name\n",
                     i, shown.constData());
        return 2;
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (const int code = refuseNonUtf8Arguments(argc, argv))
        return code;
    wemoe::keepFreedMemoryForReuse();

    // The demo zoo draws digits with Qt's fonts, which need a QGuiApplication;
    // "offscreen" lets it start without a display (unless the user chose a platform).
    const bool needsGui = argc > 1 && qstrcmp(argv[1], "zoo") == 0;
    if (needsGui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const std::unique_ptr<QCoreApplication> app = needsGui ? std::make_unique<QGuiApplication>(argc, argv)
                                                           : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wemoe"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WEMOE_VERSION));
    wemoe::installInterruptHandler("\nwemoe: stopping (press Ctrl-C again to quit at once)\n");

    QStringList arguments = QCoreApplication::arguments().mid(1);
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help") || arguments.first() == QLatin1String("-h")
        || arguments.first() == QLatin1String("help")) {
        printUsage(wemoe::cli::out());
        return arguments.isEmpty() ? 2 : 0;
    }
    if (arguments.first() == QLatin1String("--version")) {
        wemoe::cli::out() << "wemoe " << WEMOE_VERSION << "\n";
        return 0;
    }
    const QString name = arguments.takeFirst();
    const auto it = commands().find(name);
    if (it == commands().end()) {
        wemoe::cli::err() << "wemoe: unknown command '" << name << "'\n\n";
        printUsage(wemoe::cli::err());
        return 2;
    }
    int code = 0;
    const wemoe::WorkOutcome outcome = wemoe::runGuarded([&] { code = it->second.run(arguments); });
    wemoe::cli::finishProgress();
    switch (outcome.state) {
    case wemoe::WorkOutcome::State::Finished: return code;
    case wemoe::WorkOutcome::State::Cancelled:
        wemoe::cli::err() << "wemoe: cancelled; no partial files were left\n";
        return 130;
    case wemoe::WorkOutcome::State::Failed: break;
    }
    wemoe::cli::err() << "wemoe: error: " << wemoe::printableText(outcome.message) << "\n";
    return 1;
}
