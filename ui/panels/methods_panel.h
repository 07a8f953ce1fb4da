#pragma once

#include "controllers/compute_environment.h"
#include "models/method_settings.h"

#include <QtWidgets/QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QSpinBox;

namespace wemoe::ui {

// Which methods run and with which parameters: the static merges, the
// test-time adaptation methods (AdaMerging, WEMoE), the λ sweep, the
// task-vector analysis, device and threads. Every control's tooltip says what
// it does and its default (METHOD.md).
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

private:
    QWidget *buildStaticGroup();
    QWidget *buildParameterGroup();
    QWidget *buildAdaptationGroup();
    QWidget *buildSweepGroup();
    QWidget *buildAnalysisGroup();
    QWidget *buildComputeGroup();
    void watch(QWidget *control);
    void updateEnabled();

    QCheckBox *m_pretrained;
    QCheckBox *m_individual;
    QCheckBox *m_simpleAverage;
    QCheckBox *m_taskArithmetic;
    QCheckBox *m_ties;
    QCheckBox *m_dare;

    QDoubleSpinBox *m_lambda;
    QDoubleSpinBox *m_tiesTopK;
    QComboBox *m_tiesMerge;
    QCheckBox *m_tiesPerTensor;
    QDoubleSpinBox *m_dareDropRate;
    QSpinBox *m_dareSeed;
    QComboBox *m_dareThen;
    QCheckBox *m_dareRescale;

    QCheckBox *m_adaTaskWise;
    QCheckBox *m_adaLayerWise;
    QDoubleSpinBox *m_adaInitLambda;
    QSpinBox *m_adaSteps;
    QDoubleSpinBox *m_adaLearningRate;
    QCheckBox *m_wemoe;
    QComboBox *m_routerDepth;
    QDoubleSpinBox *m_wemoeInitLambda;
    QSpinBox *m_wemoeSteps;
    QDoubleSpinBox *m_wemoeLearningRate;
    QDoubleSpinBox *m_wemoeDiversity;
    QSpinBox *m_adaptationBatch;
    QComboBox *m_routingMode;

    QGroupBox *m_sweepGroup;
    QComboBox *m_sweepMethod;
    QDoubleSpinBox *m_sweepFrom;
    QDoubleSpinBox *m_sweepTo;
    QDoubleSpinBox *m_sweepStep;
    QCheckBox *m_taskVectors;

    QComboBox *m_device;
    QSpinBox *m_threads;
    QSpinBox *m_evalBatch;
    bool m_updating = false;
};

} // namespace wemoe::ui
