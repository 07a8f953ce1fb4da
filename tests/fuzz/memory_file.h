#pragma once

#include <QtCore/QString>

#include <cstddef>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

// One in-memory file (memfd) per fuzz process, rewritten with every input, so
// a reader that takes a path reads the input with no disk traffic. Returns its
// /proc/self/fd path, or an empty string when it cannot be written.
inline QString writeMemoryFile(const void *data, std::size_t size)
{
    static const int fd = ::memfd_create("fuzz-input", MFD_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, 0) != 0)
        return {};
    if (size > 0 && ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
        return {};
    return QStringLiteral("/proc/self/fd/%1").arg(fd);
}
