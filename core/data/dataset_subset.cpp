#include "data/dataset_subset.h"

#include "data/batch_loader.h"

#include <algorithm>

namespace wemoe {

namespace {

class DatasetSubset : public ImageDataset
{
public:
    DatasetSubset(SharedImageDataset whole, std::vector<int> indices)
        : m_whole(std::move(whole))
        , m_indices(std::move(indices))
    {
    }

    QString source() const override { return m_whole->source(); }
    const QStringList &classNames() const override { return m_whole->classNames(); }
    int size() const override { return static_cast<int>(m_indices.size()); }
    int label(int index) const override { return m_whole->label(at(index)); }
    QByteArray encodedImage(int index) const override { return m_whole->encodedImage(at(index)); }
    QString sampleName(int index) const override { return m_whole->sampleName(at(index)); }

private:
    int at(int index) const { return m_indices.at(static_cast<std::size_t>(index)); }

    SharedImageDataset m_whole;
    std::vector<int> m_indices;
};

} // namespace

SharedImageDataset seededSubset(const SharedImageDataset &dataset, int maxSamples, quint64 seed)
{
    if (maxSamples <= 0 || maxSamples >= dataset->size())
        return dataset;
    std::vector<int> indices = BatchLoader::shuffledOrder(dataset->size(), seed);
    indices.resize(static_cast<std::size_t>(maxSamples));
    std::sort(indices.begin(), indices.end());
    return std::make_shared<DatasetSubset>(dataset, std::move(indices));
}

} // namespace wemoe
