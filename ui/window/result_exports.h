#pragma once

#include "panels/export_dialog.h"

#include <QtCore/QVector>

namespace wemoe::ui {

class AdaptationController;
class EvaluationController;
class ExportController;
class Job;

// What the finished results offer to export, and the export of one of them:
// a static merge's model (rebuilt from its method), AdaMerging's model (held),
// WEMoE's model file or its collapse into per-task models.
class ResultExports
{
public:
    ResultExports(const EvaluationController *evaluation, const AdaptationController *adaptation,
                  ExportController *exporter);

    // In table order: the static merges, then the adaptive methods' models.
    QVector<ExportChoice> choices() const;
    bool offers(const QString &row) const;
    // Queues the export; throws wemoe::Error for one that cannot be made.
    Job *start(const ExportChoice &choice, const QString &target, const QString &dtype, bool overwrite) const;

private:
    const EvaluationController *m_evaluation;
    const AdaptationController *m_adaptation;
    ExportController *m_exporter;
};

} // namespace wemoe::ui
