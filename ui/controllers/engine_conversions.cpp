#include "controllers/engine_conversions.h"

#include "merge/merge_spec.h"

namespace wemoe::ui {

namespace {

MergeSpec::Method toEngine(StaticMethod method)
{
    switch (method) {
    case StaticMethod::Pretrained:
        return MergeSpec::Method::Pretrained;
    case StaticMethod::Individual:
        return MergeSpec::Method::Individual;
    case StaticMethod::SimpleAverage:
        return MergeSpec::Method::SimpleAverage;
    case StaticMethod::TaskArithmetic:
        return MergeSpec::Method::TaskArithmetic;
    case StaticMethod::Ties:
        return MergeSpec::Method::Ties;
    case StaticMethod::Dare:
        return MergeSpec::Method::Dare;
    }
    return MergeSpec::Method::TaskArithmetic;
}

} // namespace

MergeSpec toMergeSpec(const MethodRequest &request)
{
    MergeSpec spec;
    spec.method = toEngine(request.method);
    spec.scalingFactor = request.lambda;
    spec.ties.scalingFactor = request.lambda;
    spec.ties.topK = request.tiesTopK;
    spec.ties.mergeFunction = parseTiesMergeFunction(request.tiesMerge);
    spec.ties.perTensorTopK = request.tiesPerTensor;
    spec.dare.dropRate = request.dareDropRate;
    spec.dare.rescale = request.dareRescale;
    spec.dare.seed = request.dareSeed;
    spec.dare.thenTies = request.dareThenTies;
    spec.dare.scalingFactor = request.lambda;
    spec.dare.ties = spec.ties;
    return spec;
}

QString methodLabel(const MethodRequest &request)
{
    return toMergeSpec(request).label();
}

} // namespace wemoe::ui
