#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// FusionBench (github.com/tanganke/fusion_bench) describes CLIP model pools in
// YAML. Two shapes name their models in the file:
//   models: {_pretrained_: openai/clip-vit-base-patch32,
//            sun397: tanganke/clip-vit-base-patch32_sun397, ...}       (v0.2 and later;
//            a model may also be {pretrained_model_name_or_path: NAME, ...})
//   models: [{name: _pretrained_, path: openai/...}, {name: sun397, path: ...}]   (v0.1)
// A hydra `defaults:` entry "/model/clip-vit@models: NAMES" is followed when
// model/clip-vit/NAME.yaml lies in a folder above the pool file (a FusionBench
// config folder); otherwise the error names the file it needs.

struct FusionBenchImport
{
    // A pool object in this project's pool JSON (core/io/model_pool.h), with zero-shot heads:
    // {"name": <file base name>, "clip": <pretrained>, "pretrained": <pretrained>,
    //  "tasks": [{"name": "sun397", "checkpoint": "tanganke/clip-vit-base-patch32_sun397",
    //             "head": {"zero_shot": {"templates": [...]}}, "test_data": "<DIR>/sun397/test"}, ...]}
    // Model names are kept as written (hub names or paths).
    QJsonObject pool;
    // What the user should know: tasks without test data or known prompt templates.
    QStringList warnings;
};

// Reads a FusionBench CLIP model-pool YAML file. A task's test_data is
// dataFolder/TASK/test when dataFolder is given and that folder exists, else
// "tanganke/TASK:test" (the dataset FusionBench loads) when the Hugging Face
// cache holds it (the name with '-' and '_' swapped is tried too); a task
// without either gets no "test_data" and a warning. "train_data" is found the
// same way (the train split), silently. Known tasks get their prompt templates
// (core/text/task_templates.h); others get none, so the default applies.
// Throws wemoe::Error naming the file: not YAML (with line and column), no
// models, no _pretrained_, an entry that names no model, duplicate or unusable
// task names, a hydra include it cannot follow.
FusionBenchImport importFusionBenchPool(const QString &yamlPath, const QString &dataFolder = {});

// The same from YAML text; `source` names it in errors, and hydra includes are
// looked for above its folder when that folder exists.
FusionBenchImport importFusionBenchPoolText(const QByteArray &yaml, const QString &source,
                                            const QString &dataFolder = {});

} // namespace wemoe
