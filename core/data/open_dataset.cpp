#include "data/open_dataset.h"

#include "common/error.h"
#include "data/image_folder_dataset.h"
#include "data/parquet_dataset.h"

namespace wemoe {

SharedImageDataset openImageDataset(const DataSource &source, const QStringList &classNames)
{
    if (source.isEmpty())
        throw Error(QStringLiteral("no test data given"));
    if (source.isParquet())
        return ParquetDataset::open(source, classNames);
    return std::make_shared<ImageFolderDataset>(ImageFolderDataset::open(source.paths.first(), classNames));
}

QStringList classNamesOf(const DataSource &source)
{
    if (source.isEmpty())
        return {};
    if (source.isParquet())
        return ParquetDataset::classNamesOf(source);
    return ImageFolderDataset::discoverClasses(source.paths.first());
}

} // namespace wemoe
