#include "methods/learned_coefficients.h"

#include <QtCore/QDir>

namespace wemoe {

std::optional<AdaMergingCoefficients> learnedCoefficients(const MethodOutcome &outcome, const QStringList &tasks)
{
    if (!outcome.coefficients.defined())
        return std::nullopt;
    return AdaMergingCoefficients::from(outcome.label, tasks, outcome.coefficients, outcome.coefficientGroups);
}

void addCoefficientsToExport(ExportOptions &options, const AdaMergingCoefficients &coefficients, const QString &folder)
{
    // Errors name the files as they will be once the folder is in place.
    const QString csvName = QLatin1String(kAdaMergingCsvName);
    const QString jsonName = QLatin1String(kAdaMergingJsonName);
    options.extraFiles.emplace_back(csvName, adaMergingCoefficientsCsv(coefficients, QDir(folder).filePath(csvName)));
    options.extraFiles.emplace_back(jsonName,
                                    adaMergingCoefficientsJson(coefficients, QDir(folder).filePath(jsonName)));
    options.metadata[kAdaMergingMetadataKey] =
        adaMergingCoefficientsJson(coefficients, QDir(folder).filePath(QStringLiteral("model.safetensors")), true)
            .toStdString();
}

} // namespace wemoe
