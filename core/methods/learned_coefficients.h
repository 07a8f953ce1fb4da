#pragma once

#include "adapt/adamerging_coefficients.h"
#include "io/checkpoint.h"
#include "methods/method_run.h"

#include <QtCore/QStringList>

#include <optional>

namespace wemoe {

// The coefficients an AdaMerging run learned, or nothing for any other method.
std::optional<AdaMergingCoefficients> learnedCoefficients(const MethodOutcome &outcome, const QStringList &tasks);

// Puts them into an exported model folder: adamerging-coefficients.csv and
// .json beside config.json (staged with the model, so a failed export leaves
// neither) and the compact JSON in the safetensors metadata
// (wemoe.adamerging.coefficients). The CLI's and the studio's exports both call it.
void addCoefficientsToExport(ExportOptions &options, const AdaMergingCoefficients &coefficients, const QString &folder);

} // namespace wemoe
