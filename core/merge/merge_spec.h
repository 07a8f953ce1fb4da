#pragma once

#include "common/tensor_map.h"
#include "jobs/job_context.h"
#include "merge/merge_methods.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// One static merge method with its parameters: what a row of the accuracy
// table, a CLI invocation or a sweep point names.
struct MergeSpec
{
    enum class Method { Pretrained, Individual, SimpleAverage, TaskArithmetic, Ties, Dare };

    Method method = Method::TaskArithmetic;
    // λ of task arithmetic, TIES and DARE: the one field that says it. The λ
    // fields inside `ties` and `dare` (and dare.ties) are overwritten from it,
    // as are dare.ties's options from `ties`.
    double scalingFactor = 0.3;
    TiesOptions ties; // TIES and DARE+TIES
    DareOptions dare;

    // CLI/JSON names: pretrained, individual, simple_average, task_arithmetic, ties, dare.
    static Method parseMethod(const QString &name); // throws wemoe::Error listing the names
    static QString methodName(Method method);
    static QStringList methodNames();

    // Table label with the parameters that matter, e.g. "task_arithmetic (λ=0.3)",
    // "ties (λ=0.3, k=20%, sum)", "dare+ta (p=0.5, λ=0.3, seed 0)". Without λ
    // it names a λ sweep: "task_arithmetic", "ties (k=20%, sum)".
    enum class Lambda { Shown, Omitted };
    QString label(Lambda lambda = Lambda::Shown) const;
    QJsonObject toJson() const;

    // The merged weights. Pretrained returns θ0; Individual is per task and has
    // no single merged model (throws: the evaluator handles it).
    TensorMap merge(const MergeInputs &inputs, const JobContext &context = {}) const;
};

} // namespace wemoe
