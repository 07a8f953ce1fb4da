#include "window/result_exports.h"

#include "controllers/adaptation_controller.h"
#include "controllers/evaluation_controller.h"
#include "controllers/export_controller.h"

#include <algorithm>

namespace wemoe::ui {

ResultExports::ResultExports(const EvaluationController *evaluation, const AdaptationController *adaptation,
                             ExportController *exporter)
    : m_evaluation(evaluation)
    , m_adaptation(adaptation)
    , m_exporter(exporter)
{
}

QVector<ExportChoice> ResultExports::choices() const
{
    QVector<ExportChoice> choices;
    for (const QString &row : m_evaluation->exportableRows())
        choices.append({row, ExportKind::MergedModel});
    const QStringList wemoe = m_adaptation->wemoeRows();
    for (const QString &row : m_adaptation->exportableRows()) {
        if (wemoe.contains(row)) {
            choices.append({row, ExportKind::WemoeModel});
            choices.append({row, ExportKind::CollapsedModels});
        } else {
            choices.append({row, ExportKind::MergedModel});
        }
    }
    return choices;
}

bool ResultExports::offers(const QString &row) const
{
    const QVector<ExportChoice> all = choices();
    return std::any_of(all.begin(), all.end(), [&row](const ExportChoice &c) { return c.row == row; });
}

Job *ResultExports::start(const ExportChoice &choice, const QString &target, const QString &dtype, bool overwrite) const
{
    ExportRequest request;
    request.kind = choice.kind;
    request.folder = target;
    request.dtype = dtype;
    request.overwrite = overwrite;
    if (const auto method = m_evaluation->callForRow(choice.row); method && choice.kind == ExportKind::MergedModel) {
        request.method = *method;
        return m_exporter->exportModel(request);
    }
    return m_exporter->exportAdapted(m_adaptation->model(choice.row), request);
}

} // namespace wemoe::ui
