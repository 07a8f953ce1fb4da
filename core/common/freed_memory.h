#pragma once

namespace wemoe {

// What the C library does with memory the engine frees.
//
// glibc gives the top of its heap back to the OS as soon as a few megabytes
// there are free, and serves blocks above a size threshold with their own
// mmap, unmapped again when freed. An adaptation step frees its autograd
// graph (hundreds of megabytes of activations) at the end of every backward,
// so the next step faulted the same pages in again and the kernel zeroed
// each one: 28–59 thousand page faults and 0.2–0.4 s of system time per
// per-sample step at ViT-B/32 size, about 7 % of the step
// (docs/PERFORMANCE.md).

// Keeps blocks under 32 MiB in the heap and freed memory in the process, for
// the process's lifetime; tensors larger than that (τ stacks, checkpoints)
// still get their own mapping. The resident peak of a per-sample adaptation
// at ViT-B/32 size rose by 0.12 GB (3.52 → 3.64 GB). Each app calls it once
// at start. A user's GLIBC_TUNABLES that set malloc options are left to rule
// instead. Returns whether the settings were applied. Without glibc it does
// nothing.
bool keepFreedMemoryForReuse();

// Gives the memory the process holds free back to the OS (malloc_trim): what
// a long-lived process does after a job, so what a job freed is not kept
// until the next one.
void returnFreedMemory();

} // namespace wemoe
