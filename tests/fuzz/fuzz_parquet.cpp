// libFuzzer target: a Parquet file opened (footer, schema, row groups) and
// every column of every row group decoded (pages, codecs, levels, values);
// then the same file as a Hugging Face image dataset (its "huggingface"
// metadata, label column, every row's image bytes) and its printed summary.
// A wemoe::Error is the expected answer to bad bytes; any other exception, a
// crash or a sanitizer report is a finding.

#include "memory_file.h"

#include "common/error.h"
#include "data/parquet_dataset.h"
#include "data/parquet_summary.h"
#include "parquet/parquet_file.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <cstddef>
#include <cstdint>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = writeMemoryFile(data, size);
    if (path.isEmpty())
        return 0;
    std::optional<wemoe::ParquetFile> file;
    try {
        file = wemoe::ParquetFile::open(path);
    } catch (const wemoe::Error &) {
        return 0;
    }
    // Touch every value: a view past a buffer would fault here. Each column
    // is read on its own, so one bad column does not hide the others.
    volatile uint64_t sink = 0;
    for (int group = 0; group < static_cast<int>(file->rowGroups().size()); ++group) {
        for (int column = 0; column < static_cast<int>(file->columns().size()); ++column) {
            try {
                const wemoe::ParquetColumnValues values = file->readColumn(group, column);
                if (values.size() != file->rowGroups()[static_cast<size_t>(group)].rowCount)
                    __builtin_trap();
                for (const bool present : values.present)
                    sink = sink + present;
                for (const int64_t integer : values.integers)
                    sink = sink ^ static_cast<uint64_t>(integer);
                for (const QByteArray &bytes : values.bytes) {
                    for (const char byte : bytes)
                        sink = sink + static_cast<uint8_t>(byte);
                }
            } catch (const wemoe::Error &) {
            }
        }
    }

    wemoe::DataSource source;
    source.format = wemoe::DataSource::Format::Parquet;
    source.paths = {path};
    try {
        sink = sink + static_cast<uint64_t>(wemoe::describeParquetFiles(source).size());
    } catch (const wemoe::Error &) {
    }
    try {
        const auto dataset = wemoe::ParquetDataset::open(source, {QStringLiteral("a"), QStringLiteral("b")});
        for (int i = 0; i < dataset->size(); ++i) {
            if (dataset->label(i) < 0 || dataset->label(i) >= dataset->classNames().size())
                __builtin_trap();
            try {
                sink = sink + static_cast<uint64_t>(dataset->encodedImage(i).size());
            } catch (const wemoe::Error &) {
            }
        }
    } catch (const wemoe::Error &) {
    }
    return 0;
}
