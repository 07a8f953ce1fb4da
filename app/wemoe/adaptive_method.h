#pragma once

#include "eval/evaluator.h"
#include "io/loaded_pool.h"
#include "jobs/job_context.h"
#include "wemoe/adamerging.h"
#include "wemoe/router_adaptation.h"
#include "wemoe/routing_capture.h"
#include "wemoe/upscaled_clip_model.h"

#include <QtCore/QString>

#include <optional>

namespace wemoe::cli {

// The methods that learn on unlabeled test data before they are evaluated:
// AdaMerging (task- or layer-wise) and WEMoE. Written on the command line as
//   adamerging_task[:steps=1000,lr=1e-3,batch=16,seed=0,init_lambda=0.3]
//   adamerging_layer[:...]
//   wemoe[:steps=1000,lr=1e-4,batch=16,seed=0,depth=2,init_lambda=0.3,lambda=0.3,
//         routing=sample|batch,adapt_routing=sample|batch,bf16=false,diversity=0]
struct AdaptiveMethod
{
    enum class Kind { AdaMergingTaskWise, AdaMergingLayerWise, Wemoe };
    Kind kind = Kind::Wemoe;
    AdaMergingOptions adaMerging;
    UpscaleOptions upscale;
    RouterAdaptationOptions adaptation;
    RoutingMode evalRouting = RoutingMode::PerSample;
    QString text; // as written on the command line

    // The table row. It does not name every setting (the batch size,
    // AdaMerging's seed and initial λ): `eval` adds `text` when two rows coincide.
    QString label() const;
};

// nullopt when `text` names no adaptive method; throws wemoe::Error for bad keys.
std::optional<AdaptiveMethod> parseAdaptiveMethod(const QString &text);
QString adaptiveMethodHelp();

RoutingMode parseRoutingMode(const QString &text); // "sample" | "batch"

// Adapts, then evaluates on every task. For WEMoE, `capture` (if non-null)
// receives the routing weights of the evaluation.
QVector<double> runAdaptiveMethod(const AdaptiveMethod &method, const LoadedPool &pool, const EvalOptions &options,
                                  const JobContext &context, RoutingCapture *capture = nullptr);

} // namespace wemoe::cli
