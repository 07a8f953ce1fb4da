#include "methods/catalogue_entries.h"

namespace wemoe::catalogue {

using Type = Parameter::Type;

Parameter real(const char *key, double value, double minimum, double maximum, int decimals, double step,
               const char *title, const char *help)
{
    Parameter p;
    p.key = QString::fromLatin1(key);
    p.type = Type::Real;
    p.defaultValue = value;
    p.minimum = minimum;
    p.maximum = maximum;
    p.decimals = decimals;
    p.step = step;
    p.title = title;
    p.help = help;
    return p;
}

Parameter integer(const char *key, int value, int minimum, int maximum, const char *title, const char *help)
{
    Parameter p = real(key, 0.0, minimum, maximum, 0, 1.0, title, help);
    p.type = Type::Integer;
    p.defaultValue = value;
    return p;
}

Parameter flag(const char *key, bool value, const char *title, const char *help)
{
    Parameter p = real(key, 0.0, 0.0, 0.0, 0, 0.0, title, help);
    p.type = Type::Flag;
    p.defaultValue = value;
    return p;
}

Parameter choice(const char *key, const char *value, QVector<ParameterChoice> choices, const char *title,
                 const char *help)
{
    Parameter p = real(key, 0.0, 0.0, 0.0, 0, 0.0, title, help);
    p.type = Type::Choice;
    p.defaultValue = QString::fromLatin1(value);
    p.choices = std::move(choices);
    return p;
}

Parameter seed(const char *help)
{
    Parameter p = real("seed", 0.0, 0.0, 0.0, 0, 1.0, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Seed"), help);
    p.type = Type::Seed;
    p.defaultValue = QVariant::fromValue(quint64(0));
    return p;
}

// The settings AdaMerging and WEMoE share: the test-time optimisation.
QVector<Parameter> adaptationParameters(double learningRate)
{
    return {
        integer("steps", 1000, 0, 1000000, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Steps"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Adam steps of the entropy minimisation.")),
        real("lr", learningRate, 1e-8, 1.0, 6, learningRate / 10.0,
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Learning rate"),
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Adam's learning rate.")),
        integer("batch", 16, 1, 4096, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Batch per task"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Unlabeled test images per task in each step.")),
        seed(QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Seed of the batch order (and of WEMoE's router init).")),
    };
}

MethodDescription method(const char *name, MethodDescription::Kind kind, const char *title, const char *summary,
                         bool inDefaultRun, QVector<Parameter> parameters)
{
    MethodDescription description;
    description.name = QString::fromLatin1(name);
    description.kind = kind;
    description.title = title;
    description.summary = summary;
    description.inDefaultRun = inDefaultRun;
    description.parameters = std::move(parameters);
    return description;
}

} // namespace wemoe::catalogue
