#include "common/error.h"

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

Cancelled::Cancelled()
    : Error(QStringLiteral("cancelled"))
{
}

} // namespace wemoe
