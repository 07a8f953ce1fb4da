#include "jobs/job_context.h"

#include "common/error.h"

namespace wemoe {

void JobContext::throwIfCancelled() const
{
    if (isCancelled())
        throw Cancelled();
}

} // namespace wemoe
