#include "adamerging_export.h"

#include "common/error.h"

namespace wemoe::cli {

void addCoefficientsOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("coefficients"),
                      QStringLiteral("AdaMerging: also write the learned coefficients to this file (.csv or .json); "
                                     "the exported folder holds both anyway."),
                      QStringLiteral("file")});
}

void checkCoefficientsOption(const QCommandLineParser &parser, const QString &method)
{
    if (!parser.isSet(QStringLiteral("coefficients")))
        return;
    if (!method.startsWith(QLatin1String("adamerging")))
        throw Error(QStringLiteral("--coefficients: %1 learns no coefficients (it is for adamerging)").arg(method));
    const QString file = parser.value(QStringLiteral("coefficients"));
    if (!file.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)
        && !file.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        throw Error(QStringLiteral("--coefficients %1: expected a .csv or .json file").arg(file));
}

void writeCoefficientsOption(const QCommandLineParser &parser, const std::optional<AdaMergingCoefficients> &learned)
{
    if (parser.isSet(QStringLiteral("coefficients")) && learned)
        writeAdaMergingCoefficients(parser.value(QStringLiteral("coefficients")), *learned);
}

} // namespace wemoe::cli
