#include "studio_app.h"

#include "controllers/language.h"
#include "controllers/workspace_controller.h"
#include "main_window.h"
#include "screenshot_runner.h"
#include "window/studio_session.h"
#include "zoo/zoo_build_time.h"

#include "common/freed_memory.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <cmath>

#ifndef WEMOE_VERSION
#define WEMOE_VERSION "0.0.0"
#endif

namespace wemoe::ui {

namespace {

// --help, --version and --screenshot need no screen: they run on Qt's
// offscreen platform unless the environment chose one, so they work over
// ssh, in CI and in scripts without a display.
void chooseOffscreenWhenNoScreenIsNeeded(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        return;
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        const bool textOnly = argument == "-h" || argument == "--help" || argument == "--help-all" || argument == "-v"
                              || argument == "--version";
        const bool screenshot = argument == "--screenshot" || argument.startsWith("--screenshot=");
        if (textOnly || screenshot) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            return;
        }
    }
}

} // namespace

int runStudio(int &argc, char **argv)
{
    keepFreedMemoryForReuse();
    chooseOffscreenWhenNoScreenIsNeeded(argc, argv);
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("WEMoE"));
    QCoreApplication::setApplicationName(QStringLiteral("wemoe-studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WEMOE_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("WEMoE Studio"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.wemoe.Studio"));
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/wemoe-studio.svg")));
    installStudioTranslator(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "wemoe::ui::StudioApp", "WEMoE Studio: merge fine-tuned CLIP vision transformers and see how they merge."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("pool"),
        QCoreApplication::translate("wemoe::ui::StudioApp",
                                    "A model pool file (JSON, or a FusionBench model-pool YAML; or a folder holding "
                                    "pool.json), or a saved session, to open."),
        QStringLiteral("[POOL]"));
    // The build times are those measured for the docs (zoo/zoo_build_time.h), not hopes.
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QCoreApplication::translate("wemoe::ui::StudioApp",
                                    "Open the demo zoo (a tiny model fine-tuned on eight small datasets; built "
                                    "once, with progress, into the cache folder: about %1 min on two cores).")
            .arg(std::lround(kMeasuredStandardZooBuildSeconds / 60.0)));
    const QCommandLineOption quickZoo(
        QStringLiteral("quick-zoo"),
        QCoreApplication::translate("wemoe::ui::StudioApp",
                                    "With --demo or --screenshot: use the quick demo zoo (smaller; the first time it "
                                    "is built, in about %1 s on two cores).")
            .arg(kMeasuredQuickZooBuildSeconds));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate(
            "wemoe::ui::StudioApp",
            "Open POOL (or the demo zoo), run the configured jobs, WEMoE and layer-wise AdaMerging, write PNG "
            "screenshots of the main views into DIR and exit."),
        QStringLiteral("DIR"));
    const QCommandLineOption run(
        QStringLiteral("run"),
        QCoreApplication::translate("wemoe::ui::StudioApp",
                                    "Run the methods as last set (Run, F5) once POOL or the demo zoo is open."));
    parser.addOption(demo);
    parser.addOption(run);
    parser.addOption(quickZoo);
    parser.addOption(screenshot);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        QTextStream(stderr) << QCoreApplication::translate("wemoe::ui::StudioApp",
                                                           "wemoe-studio: expected at most one pool")
                            << "\n";
        return 2;
    }
    const QString pool = positional.value(0);

    MainWindow window;
    window.setQuickDemoZoo(parser.isSet(quickZoo));
    window.show();
    if (parser.isSet(screenshot)) {
        window.session()->setAutosaveEnabled(false); // a demonstration, not the user's work
        ScreenshotRunner runner(&window, QDir(parser.value(screenshot)).absolutePath(), pool);
        int exitCode = 1;
        QObject::connect(&runner, &ScreenshotRunner::finished, &app, [&exitCode](int code) {
            exitCode = code;
            QCoreApplication::exit(code);
        });
        QTimer::singleShot(0, &runner, &ScreenshotRunner::start);
        app.exec();
        return exitCode;
    }
    // Results an earlier run left unsaved (a crash, a kill) are offered back first.
    window.offerAutosave();
    if (parser.isSet(run)) {
        if (pool.isEmpty() && !parser.isSet(demo)) {
            QTextStream(stderr) << QCoreApplication::translate("wemoe::ui::StudioApp",
                                                               "wemoe-studio: --run needs a POOL or --demo")
                                << "\n";
            return 2;
        }
        QObject::connect(
            window.workspace(), &WorkspaceController::poolChanged, &window, [&window] { window.runConfigured(); },
            Qt::SingleShotConnection);
    }
    if (!pool.isEmpty())
        window.openPath(pool); // a pool, or a saved session
    else if (parser.isSet(demo))
        window.openDemoPool();
    return app.exec();
}

} // namespace wemoe::ui
