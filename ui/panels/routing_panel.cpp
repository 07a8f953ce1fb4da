#include "panels/routing_panel.h"

#include "panels/run_picker.h"
#include "plots/heatmap_widget.h"
#include "plots/loss_curve_plot.h"

#include <QtCore/QSignalBlocker>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSlider>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

namespace {

// A titled plot with its export buttons.
QWidget *framed(const QString &title, const QString &toolTip, QWidget *plot, QWidget *buttons)
{
    auto *box = new QWidget;
    auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), box);
    label->setToolTip(toolTip);
    label->setWordWrap(true); // long titles must not widen the window
    auto *bar = new QHBoxLayout;
    bar->addWidget(label, 1);
    bar->addWidget(buttons);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(plot, 1);
    return box;
}

} // namespace

RoutingPanel::RoutingPanel(QWidget *parent)
    : QWidget(parent)
    , m_task(new QComboBox(this))
    , m_runs(new RunPicker(tr("Runs"), this))
    , m_centre(new QComboBox(this))
    , m_imageCount(new QLabel(this))
    , m_row(new QLabel(this))
    , m_layers(new HeatmapWidget(this))
    , m_firstChoice(new HeatmapWidget(this))
    , m_loss(new LossCurvePlot(this))
{
    m_task->setToolTip(tr("The task whose test images the routing weights are averaged over."));
    m_task->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_layers->setExportName(QStringLiteral("routing-weights"));
    m_layers->setPlaceholderText(tr("Routing weights appear here after a WEMoE run."));
    m_firstChoice->setExportName(QStringLiteral("first-choice"));
    m_firstChoice->setPlaceholderText(tr("The first-choice matrix appears here after a WEMoE run."));
    m_firstChoice->setShowValues(true);
    m_layers->setShowValues(true);
    // Early in adaptation every weight sits near the routers' initial λ: the
    // colours show how far each is from it, or from 0, or from its layer's mean.
    m_centre->addItem(tr("deviation from λ₀"));
    m_centre->addItem(tr("value (centred on 0)"));
    m_centre->addItem(tr("deviation from the layer's mean"));
    m_centre->setToolTip(tr("What the colours of the routing-weight map measure: each weight's distance from the "
                            "routers' initial λ (λ₀), its value, or its distance from its layer's mean. Cells show "
                            "the weights themselves."));
    m_centre->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    auto *top = new QHBoxLayout;
    auto *taskLabel = new QLabel(tr("Task:"), this);
    taskLabel->setBuddy(m_task);
    top->addWidget(taskLabel);
    top->addWidget(m_task);
    top->addWidget(m_imageCount);
    auto *centreLabel = new QLabel(tr("Colours:"), this);
    centreLabel->setBuddy(m_centre);
    top->addSpacing(16);
    top->addWidget(centreLabel);
    top->addWidget(m_centre);
    top->addStretch(1);
    m_row->setToolTip(tr("The accuracy-table row whose evaluation recorded these routing weights."));
    m_row->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_row);

    auto *maps = new QSplitter(Qt::Horizontal, this);
    maps->addWidget(framed(tr("Mean routing weight per layer and expert"),
                           tr("Rows: transformer blocks; columns: experts (task vectors). Cells: the router's "
                              "weight averaged over tokens and over the selected task's images. Colour: its distance "
                              "from the chosen centre (by default the routers' initial λ), blue below, white at it, "
                              "red above, on a scale spanning the data's own range."),
                           m_layers, m_layers->createExportButtons(this)));
    maps->addWidget(framed(tr("First choice: share of a task's images routed first to its own expert"),
                           tr("Rows: tasks; columns: layers. 1/experts means no preference; 1 means every image of "
                              "the task picks its own task vector first."),
                           m_firstChoice, m_firstChoice->createExportButtons(this)));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(maps);
    // Per-batch losses are noisy: a moving average shows the trend (the export stays raw).
    auto *smoothing = new QSlider(Qt::Horizontal, this);
    smoothing->setObjectName(QStringLiteral("lossSmoothing"));
    smoothing->setRange(0, 99);
    smoothing->setMaximumWidth(160);
    smoothing->setToolTip(tr("Smooths the loss curves by an exponential moving average: 0 shows the raw losses, "
                             "0.99 the slowest trend. The exported data stay raw."));
    auto *smoothingValue = new QLabel(QStringLiteral("0.00"), this);
    connect(smoothing, &QSlider::valueChanged, this, [this, smoothingValue](int value) {
        m_loss->setSmoothing(value / 100.0);
        smoothingValue->setText(QString::number(value / 100.0, 'f', 2));
    });
    m_runs->setToolTip(tr("The adaptation runs whose loss is plotted. One run shows its total and each task's "
                          "loss; several are overlaid, each run's total in its own colour. The newest run is "
                          "shown while it adapts."));
    auto *lossTools = new QWidget(this);
    auto *lossToolsLayout = new QHBoxLayout(lossTools);
    lossToolsLayout->setContentsMargins(0, 0, 0, 0);
    lossToolsLayout->addWidget(m_runs);
    lossToolsLayout->addSpacing(12);
    lossToolsLayout->addWidget(new QLabel(tr("Smoothing:"), lossTools));
    lossToolsLayout->addWidget(smoothing);
    lossToolsLayout->addWidget(smoothingValue);
    lossToolsLayout->addSpacing(12);
    lossToolsLayout->addWidget(m_loss->createExportButtons(lossTools));
    split->addWidget(framed(tr("Adaptation loss"), tr("Entropy loss of the test-time adaptation against the step."),
                            m_loss, lossTools));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    connect(m_task, &QComboBox::currentIndexChanged, this, &RoutingPanel::showTask);
    connect(m_runs, &RunPicker::checkedRunsChanged, this, &RoutingPanel::showCurves);
    connect(m_centre, &QComboBox::currentIndexChanged, this, &RoutingPanel::showTask);
    m_task->setEnabled(false);
}

void RoutingPanel::setCapture(const RoutingCapture &capture)
{
    if (!capture.isEmpty())
        capture.validate();
    m_capture = capture;
    const int previous = m_task->currentIndex();
    m_task->blockSignals(true);
    m_task->clear();
    m_task->addItems(capture.tasks);
    m_task->setCurrentIndex(previous >= 0 && previous < capture.tasks.size() ? previous : 0);
    m_task->blockSignals(false);
    m_task->setEnabled(!capture.isEmpty());
    if (capture.isEmpty())
        m_firstChoice->setMatrix(HeatMatrix());
    else
        m_firstChoice->setMatrix(firstChoiceShares(capture), HeatmapWidget::Scale::Sequential);
    m_firstChoice->setFixedRange(0.0, 1.0);
    showTask();
}

void RoutingPanel::setAdaptationCurve(const AdaptationCurve &curve)
{
    setAdaptationCurves(curve.isEmpty() && curve.method.isEmpty() ? QVector<AdaptationCurve>()
                                                                  : QVector<AdaptationCurve>{curve});
}

void RoutingPanel::setAdaptationCurves(const QVector<AdaptationCurve> &curves)
{
    m_curves = curves;
    QStringList methods;
    for (const AdaptationCurve &curve : curves)
        methods << curve.method;
    const QSignalBlocker quiet(m_runs); // a growing curve redraws below even when the checks stay
    m_runs->setRuns(methods, methods);
    showCurves();
}

void RoutingPanel::showCurves()
{
    // Named as in the picker (repeats told apart there, over every run), coloured by run.
    const QStringList names = m_runs->runNames();
    QVector<AdaptationCurve> shown;
    QVector<int> colourSlots;
    for (const int run : m_runs->checkedRuns()) {
        shown << m_curves.at(run);
        shown.last().method = names.at(run);
        colourSlots << run;
    }
    m_loss->setCurves(shown, colourSlots);
}

void RoutingPanel::setCaptureLabel(const QString &row)
{
    m_row->setText(row.isEmpty() ? QString() : tr("Routing of %1").arg(row));
}

void RoutingPanel::selectTask(int task)
{
    m_task->setCurrentIndex(task);
}

void RoutingPanel::showTask()
{
    const int task = m_task->currentIndex();
    if (m_capture.isEmpty() || task < 0) {
        m_layers->setMatrix(HeatMatrix());
        m_imageCount->clear();
        return;
    }
    HeatmapWidget::Centre centre;
    switch (m_centre->currentIndex()) {
    case 0:
        centre.kind = HeatmapWidget::Centre::Kind::Value;
        centre.value = m_capture.initLambda;
        centre.name = QStringLiteral("λ₀ (%1)").arg(m_capture.initLambda);
        break;
    case 2: centre.kind = HeatmapWidget::Centre::Kind::RowMean; break;
    default: break;
    }
    m_layers->setCentre(centre);
    m_layers->setMatrix(meanRouting(m_capture, task), HeatmapWidget::Scale::Diverging);
    m_imageCount->setText(tr("%n image(s)", nullptr, m_capture.imagesOfTask(task).size()));
}

} // namespace wemoe::ui
