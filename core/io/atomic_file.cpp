#include "io/atomic_file.h"

#include "common/error.h"

#include <QtCore/QSaveFile>

namespace wemoe {

void writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw Error(path, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

} // namespace wemoe
