// The accuracy table's words for a call, made by the engine from the
// options the call converts to, so a row reads the same in every face.

#include "methods/engine_options.h"

#include "moe/upscaled_evaluation.h"

namespace wemoe {

QString MethodCall::label() const
{
    switch (description().kind) {
    case MethodDescription::Kind::Reference:
    case MethodDescription::Kind::Merge: return toMergeSpec(*this).label();
    case MethodDescription::Kind::DataMerge: {
        const QString data = describeCalibration(toCalibrationOptions(*this));
        if (method() == QLatin1String("fisher"))
            return fisherMergingLabel(toFisherMergingOptions(*this), data);
        return regMeanLabel(toRegMeanOptions(*this), data);
    }
    case MethodDescription::Kind::Adaptive: break;
    }
    if (description().upscales)
        return upscaledLabel(toUpscaleOptions(*this), evaluationRouting(*this),
                             AdaptationHistory{}.followedBy(adaptationRunOf(toRouterAdaptationOptions(*this))));
    return adaMergingLabel(toAdaMergingOptions(*this));
}

QString MethodCall::labelWithoutLambda() const
{
    if (description().kind != MethodDescription::Kind::Merge
        && description().kind != MethodDescription::Kind::Reference)
        return label();
    return toMergeSpec(*this).label(MergeSpec::Lambda::Omitted);
}

} // namespace wemoe
