#pragma once

#include "methods/learned_coefficients.h"

#include <QtCore/QCommandLineParser>

#include <optional>

namespace wemoe::cli {

// learnedCoefficients and addCoefficientsToExport: core/methods/learned_coefficients.h.

// --coefficients FILE.csv|FILE.json: a copy anywhere, for adamerging methods.
void addCoefficientsOption(QCommandLineParser &parser);
// Before the run, so a long adaptation does not end in a refusal.
void checkCoefficientsOption(const QCommandLineParser &parser, const QString &method);
void writeCoefficientsOption(const QCommandLineParser &parser, const std::optional<AdaMergingCoefficients> &learned);

} // namespace wemoe::cli
