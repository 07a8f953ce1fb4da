#include "panels/parameter_control.h"

#include "panels/invalid_input_marker.h"
#include "panels/wheel_guard.h"

#include <QtCore/QLocale>
#include <QtGui/QValidator>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>

#include <algorithm>
#include <cmath>

namespace wemoe::ui {

namespace {

// Digits that fit an unsigned 64-bit seed; more digits than that are typed
// but not accepted, so the field shows them as invalid instead of running
// with the default.
class SeedValidator : public QValidator
{
public:
    using QValidator::QValidator;

    State validate(QString &input, int &) const override
    {
        if (input.isEmpty())
            return Intermediate;
        if (input.size() > 20 || !std::all_of(input.cbegin(), input.cend(), [](QChar c) {
                return c >= QLatin1Char('0') && c <= QLatin1Char('9');
            }))
            return Invalid;
        bool ok = false;
        input.toULongLong(&ok);
        return ok ? Acceptable : Intermediate;
    }
};

} // namespace

ParameterControl::ParameterControl(const Parameter &parameter, QWidget *parent)
    : QObject(parent)
    , m_parameter(parameter)
{
    const double scale = parameter.percent ? 100.0 : 1.0;
    switch (parameter.type) {
    case Parameter::Type::Real: {
        auto *spin = new QDoubleSpinBox(parent);
        spin->setDecimals(parameter.decimals);
        spin->setRange(parameter.minimum * scale, parameter.maximum * scale);
        spin->setSingleStep(parameter.step);
        if (parameter.percent)
            spin->setSuffix(QStringLiteral(" %"));
        spin->setKeyboardTracking(false);
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ParameterControl::changed);
        m_widget = spin;
        break;
    }
    case Parameter::Type::Integer: {
        auto *spin = new QSpinBox(parent);
        spin->setRange(int(parameter.minimum), int(parameter.maximum));
        spin->setSingleStep(std::max(1, int(parameter.step)));
        spin->setKeyboardTracking(false);
        connect(spin, &QSpinBox::valueChanged, this, &ParameterControl::changed);
        m_widget = spin;
        break;
    }
    case Parameter::Type::Flag: {
        auto *box = new QCheckBox(catalogueText(parameter.title), parent);
        connect(box, &QCheckBox::toggled, this, &ParameterControl::changed);
        m_widget = box;
        break;
    }
    case Parameter::Type::Choice: {
        auto *combo = new QComboBox(parent);
        for (const ParameterChoice &choice : parameter.choices)
            combo->addItem(catalogueText(choice.title), choice.value);
        connect(combo, &QComboBox::currentIndexChanged, this, &ParameterControl::changed);
        m_widget = combo;
        break;
    }
    case Parameter::Type::Seed: {
        auto *field = new QLineEdit(parent);
        field->setValidator(new SeedValidator(field));
        connect(field, &QLineEdit::editingFinished, this, &ParameterControl::changed);
        m_widget = field;
        break;
    }
    }
    if (parameter.type != Parameter::Type::Flag && parameter.type != Parameter::Type::Seed)
        takeWheelOnlyWhenFocused(m_widget);
    if (parameter.type == Parameter::Type::Real || parameter.type == Parameter::Type::Integer) {
        QLocale locale; // "4096" as the command line takes it, not "4,096"
        locale.setNumberOptions(QLocale::OmitGroupSeparator);
        const auto bound = [&](double v) {
            return locale.toString(v * scale, 'g', 10) + (parameter.percent ? QStringLiteral(" %") : QString());
        };
        markInvalidInput(m_widget, tr("Takes %1 to %2.").arg(bound(parameter.minimum), bound(parameter.maximum)));
    } else if (parameter.type == Parameter::Type::Seed) {
        markInvalidInput(m_widget, tr("Takes a whole number from 0 to 18446744073709551615."));
    }
    m_widget->setToolTip(toolTip());
    setValue(parameter.defaultValue);
}

QString ParameterControl::labelText() const
{
    return m_parameter.type == Parameter::Type::Flag ? QString() : catalogueText(m_parameter.title);
}

QString ParameterControl::toolTip() const
{
    return tr("%1 Default: %2. Command line: %3=…")
        .arg(catalogueText(m_parameter.help), m_parameter.describeDefault(), m_parameter.key);
}

QVariant ParameterControl::value() const
{
    switch (m_parameter.type) {
    case Parameter::Type::Real: {
        const double shown = static_cast<QDoubleSpinBox *>(m_widget)->value();
        return m_parameter.percent ? shown / 100.0 : shown;
    }
    case Parameter::Type::Integer: return static_cast<QSpinBox *>(m_widget)->value();
    case Parameter::Type::Flag: return static_cast<QCheckBox *>(m_widget)->isChecked();
    case Parameter::Type::Choice: return static_cast<QComboBox *>(m_widget)->currentData().toString();
    case Parameter::Type::Seed: {
        bool ok = false;
        const quint64 seed = static_cast<QLineEdit *>(m_widget)->text().toULongLong(&ok);
        return QVariant::fromValue(ok ? seed : m_parameter.defaultValue.toULongLong());
    }
    }
    return m_parameter.defaultValue;
}

void ParameterControl::setValue(const QVariant &value)
{
    const QSignalBlocker blocker(m_widget);
    switch (m_parameter.type) {
    case Parameter::Type::Real:
        static_cast<QDoubleSpinBox *>(m_widget)->setValue(value.toDouble() * (m_parameter.percent ? 100.0 : 1.0));
        break;
    case Parameter::Type::Integer: static_cast<QSpinBox *>(m_widget)->setValue(value.toInt()); break;
    case Parameter::Type::Flag: static_cast<QCheckBox *>(m_widget)->setChecked(value.toBool()); break;
    case Parameter::Type::Choice: {
        auto *combo = static_cast<QComboBox *>(m_widget);
        combo->setCurrentIndex(std::max(0, combo->findData(value.toString())));
        break;
    }
    case Parameter::Type::Seed:
        static_cast<QLineEdit *>(m_widget)->setText(QString::number(value.toULongLong()));
        break;
    }
}

} // namespace wemoe::ui
