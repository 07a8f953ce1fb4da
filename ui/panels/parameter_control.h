#pragma once

#include "methods/parameter.h"

#include <QtCore/QObject>
#include <QtCore/QVariant>

class QWidget;

namespace wemoe::ui {

// The control of one catalogue parameter, built from its description: a spin
// box with its range, step and unit for numbers, a check box for a flag, a
// menu for a choice, a digits-only field for a seed (which can exceed int).
// Its tooltip is the parameter's help and default.
class ParameterControl : public QObject
{
    Q_OBJECT

public:
    ParameterControl(const Parameter &parameter, QWidget *parent);

    const Parameter &parameter() const { return m_parameter; }
    QWidget *widget() const { return m_widget; }
    // The form's label; empty for a flag, whose check box carries its title.
    QString labelText() const;
    QString toolTip() const;

    QVariant value() const; // of the parameter's type
    void setValue(const QVariant &value);

Q_SIGNALS:
    void changed();

private:
    Parameter m_parameter;
    QWidget *m_widget;
};

} // namespace wemoe::ui
