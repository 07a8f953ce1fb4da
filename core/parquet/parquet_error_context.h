#pragma once

#include "common/error.h"

#include <QtCore/QString>

namespace wemoe {

// Where a Parquet decoder is working, for its one error message: the file and
// what part of it ("footer", "column 'label', row group 2"). Every problem
// becomes wemoe::Error("<file>: <where>: <problem>").
struct ParquetErrorContext
{
    QString file;
    QString where; // may be empty

    [[noreturn]] void fail(const QString &problem) const
    {
        throw Error(file, where.isEmpty() ? problem : QStringLiteral("%1: %2").arg(where, problem));
    }
};

} // namespace wemoe
