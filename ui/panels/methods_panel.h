#pragma once

#include "controllers/compute_environment.h"
#include "models/method_settings.h"

#include <QtWidgets/QWidget>

#include <map>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QScrollArea;
class QSpinBox;

namespace wemoe::ui {

class ParameterControl;

// Which methods run and with which parameters. The method list and every
// parameter control are generated from the engine's catalogue
// (core/methods/method_catalogue.cpp): a method or parameter added there
// appears here with its range, default and tooltip. Below them: the λ sweep,
// the task-vector analysis, device and threads. When the language switches,
// the controls are made again from the catalogue's texts in the new language,
// with the settings they had.
class MethodsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit MethodsPanel(QWidget *parent = nullptr);

    MethodSettings settings() const;
    void setSettings(const MethodSettings &settings);
    void setDevices(const QVector<ComputeDevice> &devices);

Q_SIGNALS:
    void settingsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    // One catalogue method: its check box and the controls of its parameters,
    // shown while it is checked.
    struct MethodControls
    {
        QCheckBox *enabled = nullptr;
        QWidget *parameters = nullptr;
        std::vector<ParameterControl *> controls;
    };

    // Every group and control, in the current language.
    QWidget *buildContent();
    // buildContent() again in place of the old, keeping settings, devices and scroll position.
    void rebuild();
    QVector<ComputeDevice> shownDevices() const;
    // One check box per catalogue method of `kinds`, with its parameters under it.
    QWidget *buildMethodGroup(const QString &title, const QString &toolTip,
                              const QVector<MethodDescription::Kind> &kinds);
    QWidget *buildSweepGroup();
    QWidget *buildAnalysisGroup();
    QWidget *buildComputeGroup();
    void watch(QWidget *control);
    void onChanged();
    void updateVisibility();

    QScrollArea *m_scroll;
    QVector<ComputeDevice> m_devices;            // empty: the CPU alone
    std::map<QString, MethodControls> m_methods; // by method name
    QGroupBox *m_sweepGroup = nullptr;
    QComboBox *m_sweepMethod = nullptr;
    std::vector<ParameterControl *> m_sweepRange; // from, to, step
    QCheckBox *m_taskVectors = nullptr;
    QComboBox *m_device = nullptr;
    ParameterControl *m_threads = nullptr;
    ParameterControl *m_evalBatch = nullptr;
    ParameterControl *m_maxPerTask = nullptr;
    bool m_updating = false;
};

} // namespace wemoe::ui
