#pragma once

#include "adapt/adamerging_coefficients.h"
#include "io/checkpoint.h"
#include "methods/method_run.h"

#include <QtCore/QCommandLineParser>

#include <optional>

namespace wemoe::cli {

// The coefficients an AdaMerging run learned, or nothing for any other method.
std::optional<AdaMergingCoefficients> learnedCoefficients(const MethodOutcome &outcome, const QStringList &tasks);

// Puts them into the exported folder (adamerging-coefficients.csv and .json
// beside config.json, staged with the model) and into the safetensors
// metadata (wemoe.adamerging.coefficients, compact JSON).
void addCoefficientsToExport(ExportOptions &options, const AdaMergingCoefficients &coefficients, const QString &folder);

// --coefficients FILE.csv|FILE.json: a copy anywhere, for adamerging methods.
void addCoefficientsOption(QCommandLineParser &parser);
// Before the run, so a long adaptation does not end in a refusal.
void checkCoefficientsOption(const QCommandLineParser &parser, const QString &method);
void writeCoefficientsOption(const QCommandLineParser &parser, const std::optional<AdaMergingCoefficients> &learned);

} // namespace wemoe::cli
