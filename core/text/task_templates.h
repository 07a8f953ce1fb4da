#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// The prompt templates CLIP's authors published for the classic image
// classification tasks, as FusionBench uses them for zero-shot heads
// (fusion_bench/tasks/clip_classification/<task>.py). Zero-shot accuracy
// depends on them: the same head built from "a photo of a {}." alone scores
// differently. Each template holds {} where the class name goes.

// The templates of `taskName`, matched without regard to case and with '-'
// and '_' taken as the same ("stanford-cars" = "Stanford_Cars"); empty when
// the task is not one of knownTemplateTasks() (its heads then use
// defaultZeroShotTemplate(), core/io/zero_shot_spec.h).
QStringList knownTaskTemplates(const QString &taskName);

// The tasks knownTaskTemplates knows, as FusionBench spells them.
QStringList knownTemplateTasks();

} // namespace wemoe
