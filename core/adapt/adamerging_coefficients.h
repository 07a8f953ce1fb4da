#pragma once

#include <torch/types.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// What AdaMerging learned, as a table a person or a script can read: one row
// per group (a parameter tensor for layer-wise; the single row "all" for
// task-wise), one column per task. Written beside an exported model
// (adamerging-coefficients.csv and .json) and into its safetensors metadata.
struct AdaMergingCoefficients
{
    QString method; // the run's label, "adamerging (layer-wise, 2 steps, lr 0.001)"
    QStringList tasks;
    QStringList groups;
    torch::Tensor values; // [groups, tasks], float32 on the CPU

    // From AdaMergingResult::coefficients ([tasks] task-wise, [groups, tasks]
    // layer-wise) and its groups (empty for task-wise). Throws wemoe::Error
    // when the shapes do not fit the names.
    static AdaMergingCoefficients from(const QString &method, const QStringList &tasks,
                                       const torch::Tensor &coefficients, const QStringList &groups);
};

// The row name of task-wise coefficients.
inline constexpr char kAllGroupsRow[] = "all";
// The file names beside an exported model, and its safetensors metadata key.
inline constexpr char kAdaMergingCsvName[] = "adamerging-coefficients.csv";
inline constexpr char kAdaMergingJsonName[] = "adamerging-coefficients.json";
inline constexpr char kAdaMergingMetadataKey[] = "wemoe.adamerging.coefficients";

// "group,<task1>,<task2>,...\n" then one row per group. Values carry 9
// significant digits, enough for a float32 to read back exactly. Names holding
// a comma, a quote or a line break are quoted (RFC 4180). `source` names the
// target in errors (a coefficient that is NaN or infinite).
QByteArray adaMergingCoefficientsCsv(const AdaMergingCoefficients &coefficients, const QString &source);

// {"method": ..., "tasks": [...], "groups": [...], "coefficients": [[...], ...]},
// keys in that order, values as in the CSV. Compact for metadata, else indented.
QByteArray adaMergingCoefficientsJson(const AdaMergingCoefficients &coefficients, const QString &source,
                                      bool compact = false);

// Writes the CSV or the JSON, chosen by `path`'s suffix (.csv, .json),
// atomically (atomic_file.h): nothing half-written, errors name `path`.
void writeAdaMergingCoefficients(const QString &path, const AdaMergingCoefficients &coefficients);

// Reads the JSON back, checking that every row has one number per task and
// there is one row per group. Throws wemoe::Error naming `path` and the problem.
AdaMergingCoefficients parseAdaMergingCoefficientsJson(const QByteArray &text, const QString &path);
AdaMergingCoefficients readAdaMergingCoefficientsJson(const QString &path);

} // namespace wemoe
