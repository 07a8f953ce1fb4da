#pragma once

#include "merge/merge_spec.h"

#include <QtCore/QString>

namespace wemoe::cli {

// Parses a method as written on the command line: NAME[:KEY=VALUE[,KEY=VALUE...]]
//   task_arithmetic:lambda=0.4
//   ties:k=0.1,merge=mean,lambda=0.5,per_tensor=true
//   dare:p=0.7,then=ties,seed=3,lambda=0.3
// Keys: lambda, k, merge (sum|mean|max), per_tensor, p, rescale, seed, then (ta|ties).
// Unset keys keep METHOD.md's defaults. Throws wemoe::Error for unknown names or keys.
MergeSpec parseMethodOption(const QString &text);

// Help text listing the syntax above.
QString methodOptionHelp();

} // namespace wemoe::cli
