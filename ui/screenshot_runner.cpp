#include "screenshot_runner.h"

#include "common/error.h"
#include "controllers/workspace_controller.h"
#include "main_window.h"
#include "panels/accuracy_panel.h"
#include "panels/coefficient_panel.h"
#include "panels/image_routing_panel.h"
#include "panels/methods_panel.h"
#include "panels/routing_panel.h"
#include "panels/sweep_panel.h"
#include "panels/task_vector_panel.h"
#include "plots/heatmap_widget.h"
#include "plots/loss_curve_plot.h"
#include "plots/sweep_plot.h"
#include "queue/job_queue.h"

#include <QtCore/QDir>
#include <QtCore/QSize>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>
#include <QtGui/QImage>
#include <QtGui/QPixmap>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QTabWidget>

namespace wemoe::ui {

namespace {

// Time for the event loop to lay out and paint a freshly shown tab.
constexpr int kSettleMs = 400;
// WEMoE of the screenshot run: 100 steps at lr 1e-3 (the top of the range the
// paper finds insensitive) let the curve fall and the routers move visibly in
// minutes on two cores.
constexpr int kWemoeSteps = 100;
constexpr double kWemoeLearningRate = 1e-3;
// Plain entropy minimisation sends whole tasks of the demo zoo to one class
// (docs/DEMO-RESULTS.md: 27.4 % against 43.0 % with it); the demo's WEMoE
// keeps each batch's predictions diverse, and its row says so.
constexpr double kWemoeDiversity = 2.0;
// Layer-wise AdaMerging for the "Learned λ" page: enough steps at its default
// lr for λ to leave its start of 0.3 unevenly across tensors and tasks.
constexpr int kAdaMergingSteps = 30;
// A workstation monitor, then a small laptop screen: the views must work on both.
constexpr QSize kLargeWindow(1600, 1000);
constexpr QSize kSmallWindow(1024, 700);

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

} // namespace

ScreenshotRunner::ScreenshotRunner(MainWindow *window, const QString &folder, const QString &pool, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_folder(folder)
    , m_pool(pool)
{
}

void ScreenshotRunner::start()
{
    if (!QDir().mkpath(m_folder)) {
        fail(QStringLiteral("%1: cannot create the folder").arg(m_folder));
        return;
    }
    m_window->setInteractive(false);
    m_window->resize(kLargeWindow);
    m_window->resetLayout(); // the panels' first-start sizes for this window size
    connect(m_window->workspace(), &WorkspaceController::poolChanged, this, &ScreenshotRunner::runJobs);
    connect(m_window->workspace(), &WorkspaceController::poolLoadFailed, this,
            [this](const QString &, const QString &error) { fail(error); });
    connect(m_window->jobQueue(), &JobQueue::idle, this, [this] {
        if (m_ran && !m_failed)
            QTimer::singleShot(kSettleMs, this, &ScreenshotRunner::captureAccuracy);
    });
    if (m_pool.isEmpty())
        m_window->openDemoPool();
    else
        m_window->openPool(m_pool);
}

void ScreenshotRunner::runJobs()
{
    if (m_ran)
        return;
    m_ran = true;
    // WEMoE joins whatever the user configured (for this run only: the saved settings stay).
    MethodSettings settings = m_window->methodsPanel()->settings();
    settings.setEnabled(QStringLiteral("wemoe"), true);
    MethodCall wemoe = settings.call(QStringLiteral("wemoe"));
    wemoe.set(QStringLiteral("steps"), kWemoeSteps);
    wemoe.set(QStringLiteral("lr"), kWemoeLearningRate);
    wemoe.set(QStringLiteral("diversity"), kWemoeDiversity);
    settings.setCall(wemoe);
    settings.setEnabled(QStringLiteral("adamerging_layer"), true);
    MethodCall adaMerging = settings.call(QStringLiteral("adamerging_layer"));
    adaMerging.set(QStringLiteral("steps"), kAdaMergingSteps);
    settings.setCall(adaMerging);
    m_window->methodsPanel()->setSettings(settings);
    if (m_window->runConfigured().isEmpty())
        fail(QStringLiteral("no job could be queued (see the log)"));
}

void ScreenshotRunner::save(const QString &name, const QImage &image)
{
    const QString file = QDir(m_folder).filePath(name);
    if (image.isNull() || !image.save(file))
        throw Error(file, QStringLiteral("cannot write the screenshot"));
    m_written << file;
}

void ScreenshotRunner::captureAccuracy()
{
    try {
        m_window->showPage(m_window->accuracyPanel());
        QTimer::singleShot(kSettleMs, this, [this] {
            try {
                save(QStringLiteral("main-window.png"), m_window->grab().toImage());
                save(QStringLiteral("accuracy-table.png"), m_window->accuracyPanel()->grab().toImage());
                // The whole methods panel, scrolled or not: every method and parameter the catalogue gives it.
                if (const auto *scroll = m_window->methodsPanel()->findChild<QScrollArea *>())
                    save(QStringLiteral("methods-panel.png"), scroll->widget()->grab().toImage());
                captureSweep();
            } catch (const Error &e) {
                fail(e.message());
            }
        });
    } catch (const Error &e) {
        fail(e.message());
    }
}

void ScreenshotRunner::captureSweep()
{
    m_window->showPage(m_window->sweepPanel());
    QTimer::singleShot(kSettleMs, this, [this] {
        try {
            save(QStringLiteral("main-window-sweep.png"), m_window->grab().toImage());
            const QString file = QDir(m_folder).filePath(QStringLiteral("sweep-plot.png"));
            m_window->sweepPanel()->plot()->exportImage(file, 1000, 620);
            m_written << file;
            captureTaskVectors();
        } catch (const Error &e) {
            fail(e.message());
        }
    });
}

void ScreenshotRunner::captureTaskVectors()
{
    m_window->showPage(m_window->taskVectorPanel());
    QTimer::singleShot(kSettleMs, this, [this] {
        try {
            save(QStringLiteral("main-window-task-vectors.png"), m_window->grab().toImage());
            const QString file = QDir(m_folder).filePath(QStringLiteral("heatmap.png"));
            m_window->taskVectorPanel()->heatmap()->exportImage(file, 760, 620);
            m_written << file;
            captureRouting();
        } catch (const Error &e) {
            fail(e.message());
        }
    });
}

void ScreenshotRunner::captureRouting()
{
    RoutingPanel *routing = m_window->routingPanel();
    m_window->showPage(routing);
    QTimer::singleShot(kSettleMs, this, [this, routing] {
        try {
            save(QStringLiteral("main-window-routing.png"), m_window->grab().toImage());
            const QString curve = QDir(m_folder).filePath(QStringLiteral("adaptation-curve.png"));
            routing->lossPlot()->exportImage(curve, 1000, 620);
            m_written << curve;
            const QString heatmap = QDir(m_folder).filePath(QStringLiteral("routing-heatmap.png"));
            routing->layerHeatmap()->exportImage(heatmap, 760, 620);
            m_written << heatmap;
            const QString firstChoice = QDir(m_folder).filePath(QStringLiteral("first-choice.png"));
            routing->firstChoiceMap()->exportImage(firstChoice, 900, 620);
            m_written << firstChoice;
            captureImages();
        } catch (const Error &e) {
            fail(e.message());
        }
    });
}

void ScreenshotRunner::captureImages()
{
    ImageRoutingPanel *images = m_window->imageRoutingPanel();
    m_window->showPage(images);
    // A misclassified image, when there is one, shows both labels differ.
    QListWidget *list = images->thumbnails();
    for (int row = 0; row < list->count(); ++row) {
        if (list->item(row)->foreground().style() != Qt::NoBrush) { // wrong predictions are drawn red
            list->setCurrentRow(row);
            break;
        }
    }
    // Longer: the thumbnails are decoded on a worker thread.
    QTimer::singleShot(3 * kSettleMs, this, [this] {
        try {
            save(QStringLiteral("main-window-images.png"), m_window->grab().toImage());
            save(QStringLiteral("image-routing.png"), m_window->imageRoutingPanel()->grab().toImage());
            captureCoefficients();
        } catch (const Error &e) {
            fail(e.message());
        }
    });
}

void ScreenshotRunner::captureCoefficients()
{
    CoefficientPanel *coefficients = m_window->coefficientPanel();
    m_window->showPage(coefficients);
    QTimer::singleShot(kSettleMs, this, [this, coefficients] {
        try {
            save(QStringLiteral("main-window-lambda.png"), m_window->grab().toImage());
            const QString heatmap = QDir(m_folder).filePath(QStringLiteral("adamerging-lambda.png"));
            coefficients->heatmap()->exportImage(heatmap, 1000, 1000); // tall: a row per tensor, numbers in the cells
            m_written << heatmap;
            captureSmallWindow({m_window->accuracyPanel(), m_window->routingPanel(), m_window->imageRoutingPanel(),
                                m_window->sweepPanel(), coefficients});
        } catch (const Error &e) {
            fail(e.message());
        }
    });
}

void ScreenshotRunner::captureSmallWindow(QList<QWidget *> pages)
{
    if (pages.isEmpty()) {
        report();
        return;
    }
    if (m_window->size() != kSmallWindow) {
        m_window->resize(kSmallWindow);
        m_window->resetLayout();
    }
    QWidget *page = pages.takeFirst();
    m_window->showPage(page);
    QTimer::singleShot(kSettleMs, this, [this, page, pages] {
        try {
            save(QStringLiteral("small-window-%1.png").arg(page->objectName()), m_window->grab().toImage());
            captureSmallWindow(pages);
        } catch (const Error &e) {
            fail(e.message());
        }
    });
}

void ScreenshotRunner::report()
{
    for (const QString &written : m_written)
        err() << "wrote " << QDir::toNativeSeparators(written) << "\n";
    err().flush();
    Q_EMIT finished(0);
}

void ScreenshotRunner::fail(const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    err() << "wemoe-studio --screenshot: " << message << "\n";
    err().flush();
    // Cancel what is left; the exit code is reported once the worker is idle.
    JobQueue *queue = m_window->jobQueue();
    if (!queue->isBusy()) {
        Q_EMIT finished(1);
        return;
    }
    connect(queue, &JobQueue::idle, this, [this] { Q_EMIT finished(1); });
    queue->cancelAll();
}

} // namespace wemoe::ui
