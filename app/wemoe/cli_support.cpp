#include "cli_support.h"

#include "methods/compute_parameters.h"

#include "common/device.h"
#include "common/error.h"
#include "common/printable_text.h"
#include "jobs/interrupt_handler.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QRegularExpression>
#include <QtCore/QTextStream>

#include <cstdio>
#include <memory>
#include <unistd.h>

namespace wemoe::cli {

namespace {

struct ProgressLine
{
    bool open = false;
    int lastDecile = -1;
    QElapsedTimer sinceDraw;
};

ProgressLine &progressLine()
{
    static ProgressLine line;
    return line;
}

bool stderrIsTerminal()
{
    static const bool terminal = isatty(fileno(stderr));
    return terminal;
}

} // namespace

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

void addComputeOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("device"),
                      QStringLiteral("Where to compute: auto (CUDA when present), cpu, cuda or cuda:N. Default auto."),
                      QStringLiteral("device"), QStringLiteral("auto")});
    parser.addOption(describedOption(QStringLiteral("threads"), threadsParameter(), QStringLiteral("n")));
}

QCommandLineOption describedOption(const QString &name, const Parameter &parameter, const QString &valueName)
{
    return {name, QStringLiteral("%1 Default %2.").arg(catalogueText(parameter.help), parameter.describeDefault()),
            valueName, parameter.format(parameter.defaultValue)};
}

QVariant describedOptionValue(const QCommandLineParser &parser, const QString &name, const Parameter &parameter)
{
    try {
        return parameter.parse(parser.value(name));
    } catch (const Error &e) {
        throw Error(QStringLiteral("--%1: %2").arg(name, e.message()));
    }
}

ComputeSettings applyComputeOptions(const QCommandLineParser &parser)
{
    ComputeSettings settings;
    settings.device = parseDevice(parser.value(QStringLiteral("device")));
    settings.threads = configureThreads(
        describedOptionValue(parser, QStringLiteral("threads"), threadsParameter()).toInt());
    return settings;
}

bool parseOrExplain(QCommandLineParser &parser, const QStringList &arguments, const QString &command,
                    const QString &synopsis, int &exitCode)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    parser.setApplicationDescription(synopsis);
    QStringList withProgram = arguments;
    withProgram.prepend(QStringLiteral("wemoe ") + command);
    if (!parser.parse(withProgram)) {
        err() << "wemoe " << command << ": " << parser.errorText() << "\n"
              << "Try 'wemoe " << command << " --help'.\n";
        err().flush();
        exitCode = 2;
        return false;
    }
    if (parser.isSet(help)) {
        // QCommandLineParser::helpText() names the program from QCoreApplication; use ours.
        QString text = parser.helpText();
        text.replace(QRegularExpression(QStringLiteral("^Usage: \\S+")), QStringLiteral("Usage: wemoe ") + command);
        out() << text;
        out().flush();
        exitCode = 0;
        return false;
    }
    return true;
}

void finishProgress()
{
    auto &line = progressLine();
    if (line.open && stderrIsTerminal()) {
        err() << "\n";
        err().flush();
    }
    line = ProgressLine();
}

JobContext consoleContext(const QString &label)
{
    JobContext context;
    context.cancelFlag = &interruptFlag();
    context.onWarning = [label](const QString &warning) {
        finishProgress();
        err() << "wemoe: warning: " << printableText(warning) << "\n";
        err().flush();
    };
    context.onProgress = [label](qint64 done, qint64 total, const QString &what) {
        auto &line = progressLine();
        const int percent = total > 0 ? static_cast<int>(100 * done / total) : 0;
        if (stderrIsTerminal()) {
            // Redraw at most ~10 times a second, and always at the end.
            if (line.open && line.sinceDraw.isValid() && line.sinceDraw.elapsed() < 100 && done < total)
                return;
            line.sinceDraw.start();
            line.open = true;
            err() << "\r\033[K[" << label << "] " << percent << "% " << done << "/" << total << " "
                  << printableText(what);
            err().flush();
        } else {
            const int decile = percent / 10;
            if (decile == line.lastDecile)
                return;
            line.lastDecile = decile;
            err() << "[" << label << "] " << percent << "% " << done << "/" << total << " " << printableText(what)
                  << "\n";
            err().flush();
        }
    };
    return context;
}

double numberOption(const QCommandLineParser &parser, const QString &name)
{
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok)
        throw Error(QStringLiteral("--%1: '%2' is not a number").arg(name, parser.value(name)));
    return value;
}

int integerOption(const QCommandLineParser &parser, const QString &name)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok)
        throw Error(QStringLiteral("--%1: '%2' is not a whole number").arg(name, parser.value(name)));
    return value;
}

qint64 byteSizeOption(const QCommandLineParser &parser, const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]?i?b?)?\\s*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(parser.value(name));
    if (!match.hasMatch())
        throw Error(
            QStringLiteral("--%1: '%2' is not a size (examples: 500MB, 5GB, 1000000)").arg(name, parser.value(name)));
    const double number = match.captured(1).toDouble();
    const QString unit = match.captured(2).toLower();
    const bool binary = unit.contains(QLatin1Char('i'));
    const double base = binary ? 1024.0 : 1000.0;
    double factor = 1.0;
    if (unit.startsWith(QLatin1Char('k')))
        factor = base;
    else if (unit.startsWith(QLatin1Char('m')))
        factor = base * base;
    else if (unit.startsWith(QLatin1Char('g')))
        factor = base * base * base;
    else if (unit.startsWith(QLatin1Char('t')))
        factor = base * base * base * base;
    return static_cast<qint64>(number * factor);
}

} // namespace wemoe::cli

#include "io/atomic_file.h"

namespace wemoe::cli {

void writeTextFile(const QString &path, const QString &text)
{
    writeFileAtomically(path, text.toUtf8());
}

} // namespace wemoe::cli
