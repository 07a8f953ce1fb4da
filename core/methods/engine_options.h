#pragma once

#include "adapt/adamerging.h"
#include "adapt/router_adaptation.h"
#include "datamerge/calibration_data.h"
#include "datamerge/fisher_merging.h"
#include "datamerge/regmean.h"
#include "merge/merge_spec.h"
#include "methods/method_call.h"
#include "moe/upscaled_clip_model.h"
#include "moe/weight_ensembling_mlp.h"

namespace wemoe {

// A MethodCall's values as the engine's option structs, the one place where a
// catalogue key becomes a field. Each throws wemoe::Error for a call of
// another kind of method.

// pretrained, individual and the static merges.
MergeSpec toMergeSpec(const MethodCall &call);
// fisher, regmean, regmean_plus_plus: the images they learn from, and each
// one's own settings (the device is the caller's).
CalibrationOptions toCalibrationOptions(const MethodCall &call);
RegMeanOptions toRegMeanOptions(const MethodCall &call);
FisherMergingOptions toFisherMergingOptions(const MethodCall &call);
// adamerging_task and adamerging_layer (the device is the caller's).
AdaMergingOptions toAdaMergingOptions(const MethodCall &call);
// wemoe: the upscaled model, its test-time adaptation and the routing it is evaluated with.
UpscaleOptions toUpscaleOptions(const MethodCall &call);
RouterAdaptationOptions toRouterAdaptationOptions(const MethodCall &call);
RoutingMode evaluationRouting(const MethodCall &call);

// "sample" / "per_sample" or "batch" / "batch_reduce": the one reader of a
// routing mode, for the CLI's --routing and files. Throws wemoe::Error.
RoutingMode parseRoutingMode(const QString &text);

} // namespace wemoe
