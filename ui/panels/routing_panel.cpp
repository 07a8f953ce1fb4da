#include "panels/routing_panel.h"

#include "panels/run_picker.h"
#include "plots/heatmap_widget.h"
#include "plots/loss_curve_plot.h"

#include <QtCore/QEvent>
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
QWidget *framed(QLabel *title, QWidget *plot, QWidget *buttons)
{
    auto *box = new QWidget;
    title->setWordWrap(true); // long titles must not widen the window
    auto *bar = new QHBoxLayout;
    bar->addWidget(title, 1);
    bar->addWidget(buttons);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(plot, 1);
    return box;
}

void setTitle(QLabel *label, const QString &title, const QString &toolTip)
{
    label->setText(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
    label->setToolTip(toolTip);
}

} // namespace

RoutingPanel::RoutingPanel(QWidget *parent)
    : QWidget(parent)
    , m_task(new QComboBox(this))
    , m_runs(new RunPicker(QString(), this))
    , m_centre(new QComboBox(this))
    , m_imageCount(new QLabel(this))
    , m_row(new QLabel(this))
    , m_taskLabel(new QLabel(this))
    , m_centreLabel(new QLabel(this))
    , m_layersTitle(new QLabel(this))
    , m_firstChoiceTitle(new QLabel(this))
    , m_lossTitle(new QLabel(this))
    , m_smoothingLabel(new QLabel(this))
    , m_layers(new HeatmapWidget(this))
    , m_firstChoice(new HeatmapWidget(this))
    , m_loss(new LossCurvePlot(this))
{
    // Texts and tooltips: retranslateUi().
    m_task->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_layers->setExportName(QStringLiteral("routing-weights"));
    m_firstChoice->setExportName(QStringLiteral("first-choice"));
    m_firstChoice->setShowValues(true);
    m_layers->setShowValues(true);
    // Early in adaptation every weight sits near the routers' initial λ: the
    // colours show how far each is from it, or from 0, or from its layer's mean.
    for (int i = 0; i < 3; ++i)
        m_centre->addItem(QString());
    m_centre->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    auto *top = new QHBoxLayout;
    m_taskLabel->setBuddy(m_task);
    top->addWidget(m_taskLabel);
    top->addWidget(m_task);
    top->addWidget(m_imageCount);
    m_centreLabel->setBuddy(m_centre);
    top->addSpacing(16);
    top->addWidget(m_centreLabel);
    top->addWidget(m_centre);
    top->addSpacing(16);
    m_row->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The row's label is long ("wemoe (depth 2, 100 steps, …)"): it wraps
    // rather than widen the page past a small window.
    m_row->setWordWrap(true);
    m_row->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    top->addWidget(m_row, 1);

    auto *maps = new QSplitter(Qt::Horizontal, this);
    maps->addWidget(framed(m_layersTitle, m_layers, m_layers->createExportButtons(this)));
    maps->addWidget(framed(m_firstChoiceTitle, m_firstChoice, m_firstChoice->createExportButtons(this)));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(maps);
    // Per-batch losses are noisy: a moving average shows the trend (the export stays raw).
    m_smoothing = new QSlider(Qt::Horizontal, this); // here: Tab reaches it after the maps' buttons
    m_smoothing->setObjectName(QStringLiteral("lossSmoothing"));
    m_smoothing->setRange(0, 99);
    m_smoothing->setMaximumWidth(160);
    auto *smoothingValue = new QLabel(QStringLiteral("0.00"), this);
    connect(m_smoothing, &QSlider::valueChanged, this, [this, smoothingValue](int value) {
        m_loss->setSmoothing(value / 100.0);
        smoothingValue->setText(QString::number(value / 100.0, 'f', 2));
    });
    auto *lossTools = new QWidget(this);
    auto *lossToolsLayout = new QHBoxLayout(lossTools);
    lossToolsLayout->setContentsMargins(0, 0, 0, 0);
    lossToolsLayout->addWidget(m_runs);
    lossToolsLayout->addSpacing(12);
    lossToolsLayout->addWidget(m_smoothingLabel);
    lossToolsLayout->addWidget(m_smoothing);
    lossToolsLayout->addWidget(smoothingValue);
    lossToolsLayout->addSpacing(12);
    lossToolsLayout->addWidget(m_loss->createExportButtons(lossTools));
    split->addWidget(framed(m_lossTitle, m_loss, lossTools));
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
    retranslateUi();
}

void RoutingPanel::retranslateUi()
{
    m_task->setToolTip(tr("The task whose test images the routing weights are averaged over."));
    m_taskLabel->setText(tr("Task:"));
    m_layers->setPlaceholderText(tr("Routing weights appear here after a WEMoE run."));
    m_firstChoice->setPlaceholderText(tr("The first-choice matrix appears here after a WEMoE run."));
    m_centreLabel->setText(tr("Colours:"));
    m_centre->setItemText(0, tr("deviation from λ₀"));
    m_centre->setItemText(1, tr("value (centred on 0)"));
    m_centre->setItemText(2, tr("deviation from the layer's mean"));
    m_centre->setToolTip(tr("What the colours of the routing-weight map measure: each weight's distance from the "
                            "routers' initial λ (λ₀), its value, or its distance from its layer's mean. Cells show "
                            "the weights themselves."));
    m_row->setToolTip(tr("The accuracy-table row whose evaluation recorded these routing weights."));
    setCaptureLabel(m_captureRow);
    setTitle(m_layersTitle, tr("Mean routing weight per layer and expert"),
             tr("Rows: transformer blocks; columns: experts (task vectors). Cells: the router's weight averaged over "
                "tokens and over the selected task's images. Colour: its distance from the chosen centre (by "
                "default the routers' initial λ), blue below, white at it, red above, on a scale spanning the "
                "data's own range."));
    setTitle(m_firstChoiceTitle, tr("First choice: share of a task's images routed first to its own expert"),
             tr("Rows: tasks; columns: layers. 1/experts means no preference; 1 means every image of the task picks "
                "its own task vector first."));
    setTitle(m_lossTitle, tr("Adaptation loss"), tr("Entropy loss of the test-time adaptation against the step."));
    m_smoothingLabel->setText(tr("Smoothing:"));
    m_smoothing->setToolTip(tr("Smooths the loss curves by an exponential moving average: 0 shows the raw losses, "
                               "0.99 the slowest trend. The exported data stay raw."));
    m_runs->setNoun(tr("Runs"));
    m_runs->setToolTip(tr("The adaptation runs whose loss is plotted. One run shows its total and each task's "
                          "loss; several are overlaid, each run's total in its own colour. The newest run is "
                          "shown while it adapts."));
    // The maps' titles ("layer", "expert") are made with them: made again.
    showFirstChoice();
    showTask();
}

void RoutingPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
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
    showFirstChoice();
    showTask();
}

void RoutingPanel::showFirstChoice()
{
    if (m_capture.isEmpty())
        m_firstChoice->setMatrix(HeatMatrix());
    else
        m_firstChoice->setMatrix(firstChoiceShares(m_capture), HeatmapWidget::Scale::Sequential);
    m_firstChoice->setFixedRange(0.0, 1.0);
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
    m_captureRow = row;
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
