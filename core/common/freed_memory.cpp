#include "common/freed_memory.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace wemoe {

namespace {

#if defined(__GLIBC__)
// The largest threshold glibc accepts on 64-bit (half its per-thread heap).
constexpr int kMmapThreshold = 32 << 20;
// Never trim the heap on free (mallopt(3): -1 disables trimming): any finite
// threshold below a step's graph (1.2 GB at ViT-B/32, batch 16; several times
// that at ViT-L/14) would return the whole graph every step. The memory goes
// back with returnFreedMemory, or when the process ends.
constexpr int kNoTrimming = -1;

bool userTunesMalloc()
{
    const char *tunables = std::getenv("GLIBC_TUNABLES");
    return tunables && std::strstr(tunables, "glibc.malloc.");
}
#endif

} // namespace

bool keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    if (userTunesMalloc())
        return false;
    // mallopt returns 1 on success; if the first call fails, nothing has changed.
    return mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kNoTrimming) == 1;
#else
    return false;
#endif
}

void returnFreedMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace wemoe
