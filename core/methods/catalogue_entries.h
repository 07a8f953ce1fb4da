#pragma once

#include "methods/method_catalogue.h"

// How the catalogue is put together (internal to core/methods): one file per
// family of methods describes its methods and, beside them, turns a
// MethodCall into the engine's options (engine_options.h). Adding a parameter
// to a method is a change in that method's file.
namespace wemoe::catalogue {

Parameter real(const char *key, double value, double minimum, double maximum, int decimals, double step,
               const char *title, const char *help);
Parameter integer(const char *key, int value, int minimum, int maximum, const char *title, const char *help);
Parameter flag(const char *key, bool value, const char *title, const char *help);
Parameter choice(const char *key, const char *value, QVector<ParameterChoice> choices, const char *title,
                 const char *help);
Parameter seed(const char *help);
// steps, lr, batch, seed: the test-time optimisation AdaMerging and WEMoE share.
QVector<Parameter> adaptationParameters(double learningRate);
MethodDescription method(const char *name, MethodDescription::Kind kind, const char *title, const char *summary,
                         bool inDefaultRun, QVector<Parameter> parameters);

// pretrained, individual, simple_average, task_arithmetic, ties, dare (static_merge_methods.cpp).
QVector<MethodDescription> staticMergeMethods();
// fisher, regmean, regmean_plus_plus (data_merge_methods.cpp).
QVector<MethodDescription> dataMergeMethods();
// adamerging_task, adamerging_layer (adamerging_methods.cpp).
QVector<MethodDescription> adaMergingMethods();
// wemoe (wemoe_method.cpp).
MethodDescription wemoeMethod();
// ewemoe, E-WEMoE (wemoe_method.cpp).
MethodDescription ewemoeMethod();

} // namespace wemoe::catalogue
