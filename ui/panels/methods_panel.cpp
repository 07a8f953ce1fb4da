#include "panels/methods_panel.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

#include <limits>

namespace wemoe::ui {

namespace {

QDoubleSpinBox *doubleSpin(QWidget *parent, double min, double max, double step, int decimals, double value)
{
    auto *spin = new QDoubleSpinBox(parent);
    spin->setRange(min, max);
    spin->setSingleStep(step);
    spin->setDecimals(decimals);
    spin->setValue(value);
    spin->setKeyboardTracking(false);
    return spin;
}

QSpinBox *intSpin(QWidget *parent, int min, int max, int value)
{
    auto *spin = new QSpinBox(parent);
    spin->setRange(min, max);
    spin->setValue(value);
    spin->setKeyboardTracking(false);
    return spin;
}

// The form's label shares the control's tooltip.
void addRow(QFormLayout *form, const QString &label, QWidget *control, const QString &toolTip)
{
    control->setToolTip(toolTip);
    auto *text = new QLabel(label);
    text->setToolTip(toolTip);
    text->setBuddy(control);
    form->addRow(text, control);
}

int comboIndexOfData(const QComboBox *combo, const QVariant &data)
{
    const int index = combo->findData(data);
    return index < 0 ? 0 : index;
}

} // namespace

MethodsPanel::MethodsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->addWidget(buildStaticGroup());
    column->addWidget(buildParameterGroup());
    column->addWidget(buildSweepGroup());
    column->addWidget(buildAnalysisGroup());
    column->addWidget(buildAdaptationGroup());
    column->addWidget(buildComputeGroup());
    column->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    setDevices({{QStringLiteral("cpu"), tr("CPU")}});
    setSettings(MethodSettings());
}

QWidget *MethodsPanel::buildStaticGroup()
{
    auto *group = new QGroupBox(tr("Static merges"));
    auto *layout = new QVBoxLayout(group);
    const auto add = [&](const QString &text, const QString &toolTip) {
        auto *box = new QCheckBox(text, group);
        box->setToolTip(toolTip);
        layout->addWidget(box);
        watch(box);
        return box;
    };
    m_pretrained = add(tr("Pretrained (zero-shot)"),
                       tr("The pretrained model θ0 alone on every task: the lower bound a merge should beat."));
    m_individual = add(tr("Individual fine-tuned"),
                       tr("Each task's own fine-tuned model on its own task: the upper bound, and the reference "
                          "of the normalized column. Not one model, so it cannot be exported."));
    m_simpleAverage = add(tr("Simple average"), tr("θ = mean of the fine-tuned models θ1..θT. No parameters."));
    m_taskArithmetic = add(tr("Task arithmetic"),
                           tr("θ = θ0 + λ Σt τt with task vectors τt = θt − θ0. Parameter: λ (default 0.3)."));
    m_ties = add(tr("TIES merging"),
                 tr("Trim every task vector to its top-k % entries by magnitude, elect a sign per entry, merge the "
                    "entries that agree with it, then θ = θ0 + λ·merged. Defaults: k = 20 %, merge = sum, λ = 0.3."));
    m_dare = add(tr("DARE"),
                 tr("Drop each task-vector entry with probability p, rescale the survivors by 1/(1−p), then task "
                    "arithmetic or TIES. Defaults: p = 0.5, rescale on, seed 0, then task arithmetic."));
    return group;
}

QWidget *MethodsPanel::buildParameterGroup()
{
    auto *group = new QGroupBox(tr("Merge parameters"));
    auto *form = new QFormLayout(group);
    m_lambda = doubleSpin(group, 0.0, 5.0, 0.05, 3, 0.3);
    addRow(form, tr("Scaling factor λ"), m_lambda,
           tr("How much of the summed task vectors is added to θ0 (task arithmetic, TIES, DARE). Default 0.3."));
    m_tiesTopK = doubleSpin(group, 0.1, 100.0, 5.0, 1, 20.0);
    m_tiesTopK->setSuffix(QStringLiteral(" %"));
    addRow(form, tr("TIES top-k"), m_tiesTopK,
           tr("Share of each task vector's entries TIES keeps, by magnitude, counted over the whole task vector. "
              "Default 20 %."));
    m_tiesMerge = new QComboBox(group);
    m_tiesMerge->addItem(tr("sum"), QStringLiteral("sum"));
    m_tiesMerge->addItem(tr("mean"), QStringLiteral("mean"));
    m_tiesMerge->addItem(tr("max"), QStringLiteral("max"));
    addRow(form, tr("TIES merge"), m_tiesMerge,
           tr("How TIES combines the entries that agree with the elected sign: sum (FusionBench, default), mean "
              "(the TIES paper) or the largest magnitude."));
    m_tiesPerTensor = new QCheckBox(tr("Top-k per tensor"), group);
    m_tiesPerTensor->setToolTip(tr("Count TIES's top-k within each tensor (mergekit's way) instead of over the "
                                   "whole task vector (the TIES paper and FusionBench). Default off."));
    form->addRow(QString(), m_tiesPerTensor);
    m_dareDropRate = doubleSpin(group, 0.0, 0.99, 0.05, 2, 0.5);
    addRow(form, tr("DARE drop rate p"), m_dareDropRate,
           tr("Probability that DARE drops each task-vector entry. Default 0.5."));
    m_dareSeed = intSpin(group, 0, std::numeric_limits<int>::max(), 0);
    addRow(form, tr("DARE seed"), m_dareSeed,
           tr("Seed of DARE's random drop mask; a seed gives the same model on every machine. Default 0."));
    m_dareThen = new QComboBox(group);
    m_dareThen->addItem(tr("task arithmetic"), false);
    m_dareThen->addItem(tr("TIES"), true);
    addRow(form, tr("DARE then"), m_dareThen,
           tr("What merges the sparsified task vectors: task arithmetic (default) or TIES."));
    m_dareRescale = new QCheckBox(tr("Rescale survivors by 1/(1−p)"), group);
    m_dareRescale->setToolTip(tr("Keeps each task vector's expected value after dropping. Default on."));
    form->addRow(QString(), m_dareRescale);
    for (QWidget *w : {static_cast<QWidget *>(m_lambda), static_cast<QWidget *>(m_tiesTopK),
                       static_cast<QWidget *>(m_tiesMerge), static_cast<QWidget *>(m_tiesPerTensor),
                       static_cast<QWidget *>(m_dareDropRate), static_cast<QWidget *>(m_dareSeed),
                       static_cast<QWidget *>(m_dareThen), static_cast<QWidget *>(m_dareRescale)})
        watch(w);
    return group;
}

QWidget *MethodsPanel::buildSweepGroup()
{
    m_sweepGroup = new QGroupBox(tr("λ sweep"));
    m_sweepGroup->setCheckable(true);
    m_sweepGroup->setToolTip(tr("Evaluate one method for every λ from..to by step and plot accuracy against λ, "
                                "one line per task plus the average. Default 0 to 1 by 0.1."));
    auto *form = new QFormLayout(m_sweepGroup);
    m_sweepMethod = new QComboBox(m_sweepGroup);
    m_sweepMethod->addItem(tr("Task arithmetic"), staticMethodKey(StaticMethod::TaskArithmetic));
    m_sweepMethod->addItem(tr("TIES merging"), staticMethodKey(StaticMethod::Ties));
    m_sweepMethod->addItem(tr("DARE"), staticMethodKey(StaticMethod::Dare));
    addRow(form, tr("Method"), m_sweepMethod,
           tr("The method whose λ is swept; its other parameters come from \"Merge parameters\"."));
    m_sweepFrom = doubleSpin(m_sweepGroup, 0.0, 5.0, 0.05, 3, 0.0);
    addRow(form, tr("From"), m_sweepFrom, tr("First λ of the sweep. Default 0."));
    m_sweepTo = doubleSpin(m_sweepGroup, 0.0, 5.0, 0.05, 3, 1.0);
    addRow(form, tr("To"), m_sweepTo, tr("Last λ of the sweep (included). Default 1."));
    m_sweepStep = doubleSpin(m_sweepGroup, 0.001, 5.0, 0.05, 3, 0.1);
    addRow(form, tr("Step"), m_sweepStep, tr("Distance between two λ of the sweep. Default 0.1."));
    for (QWidget *w : {static_cast<QWidget *>(m_sweepGroup), static_cast<QWidget *>(m_sweepMethod),
                       static_cast<QWidget *>(m_sweepFrom), static_cast<QWidget *>(m_sweepTo),
                       static_cast<QWidget *>(m_sweepStep)})
        watch(w);
    return m_sweepGroup;
}

QWidget *MethodsPanel::buildAnalysisGroup()
{
    auto *group = new QGroupBox(tr("Analysis"));
    auto *layout = new QVBoxLayout(group);
    m_taskVectors = new QCheckBox(tr("Task-vector similarity"), group);
    m_taskVectors->setToolTip(tr("Cosine similarity between the task vectors θt − θ0: vectors that point apart "
                                 "interfere when merged. One quick pass over the weights. Default on."));
    layout->addWidget(m_taskVectors);
    watch(m_taskVectors);
    return group;
}

QWidget *MethodsPanel::buildAdaptationGroup()
{
    auto *group = new QGroupBox(tr("Test-time adaptation"));
    group->setToolTip(tr("Methods that learn on the pool's unlabeled test images before they are evaluated. Each "
                         "runs as one job; its loss appears live on the Routing tab."));
    auto *form = new QFormLayout(group);

    m_adaTaskWise = new QCheckBox(tr("AdaMerging, task-wise"), group);
    m_adaTaskWise->setToolTip(tr("θ = θ0 + Σt λt τt with one λ per task, learned by minimising the prediction "
                                 "entropy on unlabeled test images. Off by default."));
    form->addRow(m_adaTaskWise);
    m_adaLayerWise = new QCheckBox(tr("AdaMerging, layer-wise"), group);
    m_adaLayerWise->setToolTip(tr("One λ per task and layer, learned the same way; the stronger variant. Off by default."));
    form->addRow(m_adaLayerWise);
    m_adaInitLambda = doubleSpin(group, 0.0, 2.0, 0.05, 3, 0.3);
    addRow(form, tr("AdaMerging initial λ"), m_adaInitLambda, tr("The λ every coefficient starts from. Default 0.3."));
    m_adaSteps = intSpin(group, 1, 100000, 1000);
    addRow(form, tr("AdaMerging steps"), m_adaSteps, tr("Adam steps of the entropy minimisation. Default 1000."));
    m_adaLearningRate = doubleSpin(group, 1e-6, 1.0, 1e-4, 6, 1e-3);
    addRow(form, tr("AdaMerging learning rate"), m_adaLearningRate, tr("Adam's learning rate. Default 1e-3."));

    m_wemoe = new QCheckBox(tr("WEMoE"), group);
    m_wemoe->setToolTip(tr("Weight-ensembling mixture of experts: every block's MLP becomes θ0's MLP plus the task "
                           "vectors' MLPs weighted per image by a router, trained at test time on unlabeled images; "
                           "everything else is task arithmetic with λ = 0.3. Its routing weights fill the Routing and "
                           "Images tabs. Off by default."));
    form->addRow(m_wemoe);
    m_routerDepth = new QComboBox(group);
    m_routerDepth->addItem(tr("2: Linear → ReLU → Linear"), 2);
    m_routerDepth->addItem(tr("1: Linear"), 1);
    m_routerDepth->addItem(tr("0: a learned bias"), 0);
    addRow(form, tr("Router depth"), m_routerDepth,
           tr("2 (default): Linear(D,D) → ReLU → Linear(D,T); 1: Linear(D,T); 0: one learned weight per task."));
    m_wemoeInitLambda = doubleSpin(group, 0.0, 2.0, 0.05, 3, 0.3);
    addRow(form, tr("Router initial λ"), m_wemoeInitLambda,
           tr("The routers' last bias: at step 0 the model equals task arithmetic with this λ. Default 0.3."));
    m_wemoeSteps = intSpin(group, 1, 100000, 1000);
    addRow(form, tr("WEMoE steps"), m_wemoeSteps,
           tr("Adam steps of the routers' entropy minimisation; near plateau by ~200. Default 1000."));
    m_wemoeLearningRate = doubleSpin(group, 1e-6, 1.0, 1e-5, 6, 1e-4);
    addRow(form, tr("WEMoE learning rate"), m_wemoeLearningRate,
           tr("Adam's learning rate for the routers; results barely change across 5e-5..1e-3. Default 1e-4."));
    m_wemoeDiversity = doubleSpin(group, 0.0, 100.0, 0.5, 2, 0.0);
    addRow(form, tr("WEMoE diversity"), m_wemoeDiversity,
           tr("0 (default): the paper's objective, the entropy of each image's prediction. Above 0, each task's "
              "loss also rewards spreading its batch over its classes by this weight, so entropy minimisation "
              "cannot pay off by predicting one class for a whole task (the collapse warning). It assumes each "
              "task's classes are roughly balanced in its unlabeled images. Not the paper's objective; 1 or 2 is a "
              "good start."));
    m_adaptationBatch = intSpin(group, 1, 1024, 16);
    addRow(form, tr("Batch per task"), m_adaptationBatch,
           tr("Unlabeled test images per task in each adaptation step. Default 16."));
    m_routingMode = new QComboBox(group);
    m_routingMode->addItem(tr("per sample"), QStringLiteral("per_sample"));
    m_routingMode->addItem(tr("batch-reduced"), QStringLiteral("batch_reduce"));
    addRow(form, tr("Routing mode"), m_routingMode,
           tr("Routing when WEMoE is evaluated (it adapts per sample). Per sample (default): every image gets its own "
              "merged MLPs. Batch-reduced: routing weights averaged over the batch, cheaper but no longer per image; "
              "the table says which mode produced a number."));
    for (QWidget *w : group->findChildren<QWidget *>()) {
        if (qobject_cast<QCheckBox *>(w) || qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractSpinBox *>(w))
            watch(w);
    }
    return group;
}

QWidget *MethodsPanel::buildComputeGroup()
{
    auto *group = new QGroupBox(tr("Compute"));
    auto *form = new QFormLayout(group);
    m_device = new QComboBox(group);
    addRow(form, tr("Device"), m_device, tr("Where merging and evaluation run: the CPU or a CUDA device. Default CPU."));
    m_threads = intSpin(group, 0, 1024, 0);
    m_threads->setSpecialValueText(tr("all cores"));
    addRow(form, tr("Threads"), m_threads, tr("CPU threads for LibTorch and image decoding; 0 uses all cores (default)."));
    m_evalBatch = intSpin(group, 1, 4096, 64);
    addRow(form, tr("Evaluation batch"), m_evalBatch,
           tr("Images per evaluation batch: larger is faster until memory runs out. Default 64."));
    for (QWidget *w : {static_cast<QWidget *>(m_device), static_cast<QWidget *>(m_threads), static_cast<QWidget *>(m_evalBatch)})
        watch(w);
    return group;
}

void MethodsPanel::watch(QWidget *control)
{
    const auto changed = [this] {
        if (m_updating)
            return;
        updateEnabled();
        Q_EMIT settingsChanged();
    };
    if (auto *box = qobject_cast<QCheckBox *>(control))
        connect(box, &QCheckBox::toggled, this, changed);
    else if (auto *combo = qobject_cast<QComboBox *>(control))
        connect(combo, &QComboBox::currentIndexChanged, this, changed);
    else if (auto *spin = qobject_cast<QDoubleSpinBox *>(control))
        connect(spin, &QDoubleSpinBox::valueChanged, this, changed);
    else if (auto *spin = qobject_cast<QSpinBox *>(control))
        connect(spin, &QSpinBox::valueChanged, this, changed);
    else if (auto *group = qobject_cast<QGroupBox *>(control))
        connect(group, &QGroupBox::toggled, this, changed);
}

void MethodsPanel::updateEnabled()
{
    const bool ties = m_ties->isChecked() || (m_dare->isChecked() && m_dareThen->currentData().toBool());
    m_tiesTopK->setEnabled(ties || m_sweepGroup->isChecked());
    m_tiesMerge->setEnabled(ties || m_sweepGroup->isChecked());
    m_tiesPerTensor->setEnabled(ties || m_sweepGroup->isChecked());
    const bool dare = m_dare->isChecked() || m_sweepGroup->isChecked();
    m_dareDropRate->setEnabled(dare);
    m_dareSeed->setEnabled(dare);
    m_dareThen->setEnabled(dare);
    m_dareRescale->setEnabled(dare);
}

void MethodsPanel::setDevices(const QVector<ComputeDevice> &devices)
{
    const QString current = m_device->currentData().toString();
    m_updating = true;
    m_device->clear();
    for (const ComputeDevice &device : devices)
        m_device->addItem(device.label, device.id);
    m_device->setCurrentIndex(comboIndexOfData(m_device, current));
    m_updating = false;
}

MethodSettings MethodsPanel::settings() const
{
    MethodSettings s;
    s.pretrained = m_pretrained->isChecked();
    s.individual = m_individual->isChecked();
    s.simpleAverage = m_simpleAverage->isChecked();
    s.taskArithmetic = m_taskArithmetic->isChecked();
    s.ties = m_ties->isChecked();
    s.dare = m_dare->isChecked();
    s.parameters.lambda = m_lambda->value();
    s.parameters.tiesTopK = m_tiesTopK->value() / 100.0;
    s.parameters.tiesMerge = m_tiesMerge->currentData().toString();
    s.parameters.tiesPerTensor = m_tiesPerTensor->isChecked();
    s.parameters.dareDropRate = m_dareDropRate->value();
    s.parameters.dareSeed = static_cast<quint64>(m_dareSeed->value());
    s.parameters.dareThenTies = m_dareThen->currentData().toBool();
    s.parameters.dareRescale = m_dareRescale->isChecked();

    s.adaMergingTaskWise = m_adaTaskWise->isChecked();
    s.adaMergingLayerWise = m_adaLayerWise->isChecked();
    s.adaMergingInitLambda = m_adaInitLambda->value();
    s.adaMergingSteps = m_adaSteps->value();
    s.adaMergingLearningRate = m_adaLearningRate->value();
    s.wemoe = m_wemoe->isChecked();
    s.routerDepth = m_routerDepth->currentData().toInt();
    s.wemoeInitLambda = m_wemoeInitLambda->value();
    s.wemoeSteps = m_wemoeSteps->value();
    s.wemoeLearningRate = m_wemoeLearningRate->value();
    s.wemoeDiversity = m_wemoeDiversity->value();
    s.adaptationBatchSize = m_adaptationBatch->value();
    s.routingMode = m_routingMode->currentData().toString();

    s.sweep = m_sweepGroup->isChecked();
    s.sweepMethod = parseStaticMethodKey(m_sweepMethod->currentData().toString());
    s.sweepFrom = m_sweepFrom->value();
    s.sweepTo = m_sweepTo->value();
    s.sweepStep = m_sweepStep->value();
    s.taskVectorAnalysis = m_taskVectors->isChecked();

    s.device = m_device->currentData().toString();
    if (s.device.isEmpty())
        s.device = QStringLiteral("cpu");
    s.threads = m_threads->value();
    s.evalBatchSize = m_evalBatch->value();
    return s;
}

void MethodsPanel::setSettings(const MethodSettings &s)
{
    m_updating = true;
    m_pretrained->setChecked(s.pretrained);
    m_individual->setChecked(s.individual);
    m_simpleAverage->setChecked(s.simpleAverage);
    m_taskArithmetic->setChecked(s.taskArithmetic);
    m_ties->setChecked(s.ties);
    m_dare->setChecked(s.dare);
    m_lambda->setValue(s.parameters.lambda);
    m_tiesTopK->setValue(s.parameters.tiesTopK * 100.0);
    m_tiesMerge->setCurrentIndex(comboIndexOfData(m_tiesMerge, s.parameters.tiesMerge));
    m_tiesPerTensor->setChecked(s.parameters.tiesPerTensor);
    m_dareDropRate->setValue(s.parameters.dareDropRate);
    m_dareSeed->setValue(static_cast<int>(std::min<quint64>(s.parameters.dareSeed, std::numeric_limits<int>::max())));
    m_dareThen->setCurrentIndex(comboIndexOfData(m_dareThen, s.parameters.dareThenTies));
    m_dareRescale->setChecked(s.parameters.dareRescale);

    m_adaTaskWise->setChecked(s.adaMergingTaskWise);
    m_adaLayerWise->setChecked(s.adaMergingLayerWise);
    m_adaInitLambda->setValue(s.adaMergingInitLambda);
    m_adaSteps->setValue(s.adaMergingSteps);
    m_adaLearningRate->setValue(s.adaMergingLearningRate);
    m_wemoe->setChecked(s.wemoe);
    m_routerDepth->setCurrentIndex(comboIndexOfData(m_routerDepth, s.routerDepth));
    m_wemoeInitLambda->setValue(s.wemoeInitLambda);
    m_wemoeSteps->setValue(s.wemoeSteps);
    m_wemoeLearningRate->setValue(s.wemoeLearningRate);
    m_wemoeDiversity->setValue(s.wemoeDiversity);
    m_adaptationBatch->setValue(s.adaptationBatchSize);
    m_routingMode->setCurrentIndex(comboIndexOfData(m_routingMode, s.routingMode));

    m_sweepGroup->setChecked(s.sweep);
    m_sweepMethod->setCurrentIndex(comboIndexOfData(m_sweepMethod, staticMethodKey(s.sweepMethod)));
    m_sweepFrom->setValue(s.sweepFrom);
    m_sweepTo->setValue(s.sweepTo);
    m_sweepStep->setValue(s.sweepStep);
    m_taskVectors->setChecked(s.taskVectorAnalysis);

    m_device->setCurrentIndex(comboIndexOfData(m_device, s.device));
    m_threads->setValue(s.threads);
    m_evalBatch->setValue(s.evalBatchSize);
    m_updating = false;
    updateEnabled();
}

} // namespace wemoe::ui
