#include "panels/methods_panel.h"

#include "methods/compute_parameters.h"
#include "panels/parameter_control.h"
#include "panels/wheel_guard.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

namespace {

// The form's label shares the control's tooltip.
void addRow(QFormLayout *form, const QString &label, QWidget *control, const QString &toolTip)
{
    control->setToolTip(toolTip);
    if (label.isEmpty()) {
        form->addRow(control);
        return;
    }
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
    , m_scroll(new QScrollArea(this))
{
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scroll);
    m_scroll->setWidget(buildContent());
    setDevices({});
    setSettings(MethodSettings());
}

QWidget *MethodsPanel::buildContent()
{
    m_methods.clear();
    m_sweepRange.clear();
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->addWidget(buildMethodGroup(tr("Merges"),
                                       tr("The references and the static merges: each checked method is one row "
                                          "of the accuracy table. Its parameters show while it is checked."),
                                       {MethodDescription::Kind::Reference, MethodDescription::Kind::Merge}));
    column->addWidget(buildMethodGroup(tr("Merges that learn from data"),
                                       tr("Merges computed from a few images of each task (the pool's train_data, "
                                          "or its test images when allowed), without labels. Each checked method "
                                          "is one row of the accuracy table."),
                                       {MethodDescription::Kind::DataMerge}));
    column->addWidget(buildSweepGroup());
    column->addWidget(buildAnalysisGroup());
    column->addWidget(buildMethodGroup(tr("Test-time adaptation"),
                                       tr("Methods that learn on the pool's unlabeled test images before they are "
                                          "evaluated. Each runs as one job; its loss appears live on the Routing "
                                          "tab."),
                                       {MethodDescription::Kind::Adaptive}));
    column->addWidget(buildComputeGroup());
    column->addStretch(1);
    return content;
}

void MethodsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        rebuild();
    QWidget::changeEvent(event);
}

void MethodsPanel::rebuild()
{
    const MethodSettings current = settings();
    const int scrolled = m_scroll->verticalScrollBar()->value();
    m_scroll->setWidget(buildContent()); // deletes the old content
    setDevices(m_devices);
    setSettings(current);
    // The scroll range follows the new content once its layout has been
    // asked for; asked now, the position it had can be restored at once.
    QEvent layoutRequest(QEvent::LayoutRequest);
    QCoreApplication::sendEvent(m_scroll, &layoutRequest);
    m_scroll->verticalScrollBar()->setValue(scrolled);
}

QVector<ComputeDevice> MethodsPanel::shownDevices() const
{
    if (!m_devices.isEmpty())
        return m_devices;
    return {{QStringLiteral("cpu"), tr("CPU")}};
}

QWidget *MethodsPanel::buildMethodGroup(const QString &title, const QString &toolTip,
                                        const QVector<MethodDescription::Kind> &kinds)
{
    auto *group = new QGroupBox(title);
    group->setToolTip(toolTip);
    auto *layout = new QVBoxLayout(group);
    for (const MethodDescription &method : methodCatalogue()) {
        if (!kinds.contains(method.kind))
            continue;
        MethodControls controls;
        controls.enabled = new QCheckBox(catalogueText(method.title), group);
        controls.enabled->setToolTip(catalogueText(method.summary));
        watch(controls.enabled);
        layout->addWidget(controls.enabled);
        if (!method.parameters.isEmpty()) {
            controls.parameters = new QWidget(group);
            auto *form = new QFormLayout(controls.parameters);
            form->setContentsMargins(24, 0, 0, 6); // under its check box
            for (const Parameter &parameter : method.parameters) {
                auto *control = new ParameterControl(parameter, controls.parameters);
                addRow(form, control->labelText(), control->widget(), control->toolTip());
                connect(control, &ParameterControl::changed, this, &MethodsPanel::onChanged);
                controls.controls.push_back(control);
            }
            layout->addWidget(controls.parameters);
        }
        m_methods.emplace(method.name, controls);
    }
    return group;
}

QWidget *MethodsPanel::buildSweepGroup()
{
    m_sweepGroup = new QGroupBox(tr("λ sweep"));
    m_sweepGroup->setCheckable(true);
    m_sweepGroup->setToolTip(tr("Evaluate one method for every λ from..to by step and plot accuracy against λ, "
                                "one line per task plus the average."));
    auto *form = new QFormLayout(m_sweepGroup);
    m_sweepMethod = new QComboBox(m_sweepGroup);
    takeWheelOnlyWhenFocused(m_sweepMethod);
    for (const MethodDescription &method : methodCatalogue()) {
        if (method.sweepable())
            m_sweepMethod->addItem(catalogueText(method.title), method.name);
    }
    addRow(form, tr("Method"), m_sweepMethod,
           tr("The method whose λ is swept; its other parameters are the ones set for it under Merges."));
    for (const Parameter &parameter : LambdaSweep::parameters()) {
        auto *control = new ParameterControl(parameter, m_sweepGroup);
        addRow(form, control->labelText(), control->widget(), control->toolTip());
        connect(control, &ParameterControl::changed, this, &MethodsPanel::onChanged);
        m_sweepRange.push_back(control);
    }
    watch(m_sweepGroup);
    watch(m_sweepMethod);
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

QWidget *MethodsPanel::buildComputeGroup()
{
    auto *group = new QGroupBox(tr("Compute"));
    auto *form = new QFormLayout(group);
    m_device = new QComboBox(group);
    takeWheelOnlyWhenFocused(m_device);
    addRow(form, tr("Device"), m_device,
           tr("Where merging and evaluation run: the CPU or a CUDA device. Default CPU."));
    m_threads = new ParameterControl(threadsParameter(), group);
    if (auto *spin = qobject_cast<QSpinBox *>(m_threads->widget()))
        spin->setSpecialValueText(tr("all cores"));
    // Options of the command line (--threads, --batch-size), not method keys: no "KEY=" in the tooltip.
    const auto computeTip = [](const Parameter &p) {
        return tr("%1 Default: %2.").arg(catalogueText(p.help), p.describeDefault());
    };
    addRow(form, m_threads->labelText(), m_threads->widget(), computeTip(threadsParameter()));
    m_evalBatch = new ParameterControl(evalBatchParameter(), group);
    addRow(form, m_evalBatch->labelText(), m_evalBatch->widget(), computeTip(evalBatchParameter()));
    // The CLI's --max-per-task: the same seeded subset, so a quick look here matches a quick run there.
    m_maxPerTask = new ParameterControl(maxTestImagesParameter(), group);
    if (auto *spin = qobject_cast<QSpinBox *>(m_maxPerTask->widget()))
        spin->setSpecialValueText(tr("all"));
    addRow(form, m_maxPerTask->labelText(), m_maxPerTask->widget(), computeTip(maxTestImagesParameter()));
    watch(m_device);
    for (ParameterControl *control : {m_threads, m_evalBatch, m_maxPerTask})
        connect(control, &ParameterControl::changed, this, &MethodsPanel::onChanged);
    return group;
}

void MethodsPanel::watch(QWidget *control)
{
    if (auto *box = qobject_cast<QCheckBox *>(control))
        connect(box, &QCheckBox::toggled, this, &MethodsPanel::onChanged);
    else if (auto *combo = qobject_cast<QComboBox *>(control))
        connect(combo, &QComboBox::currentIndexChanged, this, &MethodsPanel::onChanged);
    else if (auto *spin = qobject_cast<QSpinBox *>(control))
        connect(spin, &QSpinBox::valueChanged, this, &MethodsPanel::onChanged);
    else if (auto *group = qobject_cast<QGroupBox *>(control))
        connect(group, &QGroupBox::toggled, this, &MethodsPanel::onChanged);
}

void MethodsPanel::onChanged()
{
    if (m_updating)
        return;
    updateVisibility();
    Q_EMIT settingsChanged();
}

void MethodsPanel::updateVisibility()
{
    // A method's parameters show while it runs, or while the sweep uses them.
    const QString swept = m_sweepGroup->isChecked() ? m_sweepMethod->currentData().toString() : QString();
    for (auto &[name, controls] : m_methods) {
        if (controls.parameters)
            controls.parameters->setVisible(controls.enabled->isChecked() || name == swept);
    }
}

void MethodsPanel::setDevices(const QVector<ComputeDevice> &devices)
{
    m_devices = devices;
    const QString current = m_device->currentData().toString();
    m_updating = true;
    m_device->clear();
    for (const ComputeDevice &device : shownDevices())
        m_device->addItem(device.label, device.id);
    m_device->setCurrentIndex(comboIndexOfData(m_device, current));
    m_updating = false;
}

MethodSettings MethodsPanel::settings() const
{
    MethodSettings s;
    for (MethodSettings::Entry &entry : s.methods) {
        const MethodControls &controls = m_methods.at(entry.call.method());
        entry.enabled = controls.enabled->isChecked();
        for (const ParameterControl *control : controls.controls)
            entry.call.set(control->parameter().key, control->value());
    }
    s.sweep = m_sweepGroup->isChecked();
    s.sweepMethod = m_sweepMethod->currentData().toString();
    s.sweepFrom = m_sweepRange.at(0)->value().toDouble();
    s.sweepTo = m_sweepRange.at(1)->value().toDouble();
    s.sweepStep = m_sweepRange.at(2)->value().toDouble();
    s.taskVectorAnalysis = m_taskVectors->isChecked();
    s.device = m_device->currentData().toString();
    if (s.device.isEmpty())
        s.device = QStringLiteral("cpu");
    s.threads = m_threads->value().toInt();
    s.evalBatchSize = m_evalBatch->value().toInt();
    s.maxTestImagesPerTask = m_maxPerTask->value().toInt();
    return s;
}

void MethodsPanel::setSettings(const MethodSettings &s)
{
    m_updating = true;
    for (const MethodSettings::Entry &entry : s.methods) {
        const auto it = m_methods.find(entry.call.method());
        if (it == m_methods.end())
            continue;
        it->second.enabled->setChecked(entry.enabled);
        for (ParameterControl *control : it->second.controls)
            control->setValue(entry.call.value(control->parameter().key));
    }
    m_sweepGroup->setChecked(s.sweep);
    m_sweepMethod->setCurrentIndex(comboIndexOfData(m_sweepMethod, s.sweepMethod));
    m_sweepRange.at(0)->setValue(s.sweepFrom);
    m_sweepRange.at(1)->setValue(s.sweepTo);
    m_sweepRange.at(2)->setValue(s.sweepStep);
    m_taskVectors->setChecked(s.taskVectorAnalysis);
    m_device->setCurrentIndex(comboIndexOfData(m_device, s.device));
    m_threads->setValue(s.threads);
    m_evalBatch->setValue(s.evalBatchSize);
    m_maxPerTask->setValue(s.maxTestImagesPerTask);
    m_updating = false;
    updateVisibility();
}

} // namespace wemoe::ui
