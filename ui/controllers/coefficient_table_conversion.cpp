#include "controllers/coefficient_table_conversion.h"

#include "adapt/adamerging_coefficients.h"

#include <QtCore/QFileInfo>

#include <torch/torch.h>

namespace wemoe::ui {

CoefficientTable toCoefficientTable(const AdaMergingCoefficients &coefficients)
{
    CoefficientTable table;
    table.method = coefficients.method;
    table.tasks = coefficients.tasks;
    table.groups = coefficients.groups;
    const torch::Tensor values = coefficients.values.to(torch::kCPU, torch::kFloat).contiguous();
    const float *data = values.data_ptr<float>();
    table.values.reserve(int(values.numel()));
    for (int64_t i = 0; i < values.numel(); ++i)
        table.values << double(data[i]); // exact: every float32 is a double
    table.validate();
    return table;
}

CoefficientTable readCoefficientTable(const QString &file)
{
    CoefficientTable table = toCoefficientTable(readAdaMergingCoefficientsJson(file));
    table.source = QFileInfo(file).absoluteFilePath();
    return table;
}

} // namespace wemoe::ui
