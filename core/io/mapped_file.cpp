#include "io/mapped_file.h"

#include "common/error.h"

#include <cerrno>
#include <sys/mman.h>

namespace wemoe {

MappedFile::MappedFile(const QString &path)
    : m_file(path, -1)
{
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(m_data, static_cast<size_t>(m_file.size()));
}

QString MappedFile::map()
{
    if (m_file.size() == 0)
        return {};
    void *data = ::mmap(nullptr, static_cast<size_t>(m_file.size()), PROT_READ | PROT_WRITE, MAP_PRIVATE,
                        m_file.descriptor(), 0);
    if (data == MAP_FAILED)
        return systemErrorText(errno);
    m_data = static_cast<uchar *>(data);
    return {};
}

} // namespace wemoe
