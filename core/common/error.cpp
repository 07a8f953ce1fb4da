#include "common/error.h"

#include <cstring>

namespace wemoe {

Error::Error(const QString &message)
    : std::runtime_error(message.toStdString())
    , m_message(message)
{
}

Error::Error(const QString &file, const QString &problem)
    : Error(file + QStringLiteral(": ") + problem)
{
}

QString systemErrorText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

Cancelled::Cancelled()
    : Error(QStringLiteral("cancelled"))
{
}

} // namespace wemoe
