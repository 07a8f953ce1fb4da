// The synthetic pools: the self-labelled kind (individual accuracy is 100 % by
// construction, heads calibrated to a requested confidence) and the trained
// kind (MLPs fine-tuned through a frozen centroid head, labels are the
// classes the images were drawn from). Both are deterministic for a seed.

#include "data/image_preprocessor.h"
#include "demo/synthetic_pool.h"
#include "eval/evaluator.h"
#include "merge/merge_spec.h"
#include "model/clip_vision_model.h"
#include "pool/loaded_pool.h"
#include "test_support.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDirIterator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <numeric>

using namespace wemoe;

namespace {

double mean(const QVector<double> &values)
{
    return std::accumulate(values.begin(), values.end(), 0.0) / values.size();
}

QVector<double> accuracyOf(const LoadedPool &pool, MergeSpec::Method method)
{
    MergeSpec spec;
    spec.method = method;
    return PoolEvaluator(pool, EvalOptions{}).evaluateMethod(spec);
}

// Every file under `folder`, relative path -> SHA-256 of its bytes.
QMap<QString, QByteArray> fingerprint(const QString &folder)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        files.insert(QDir(folder).relativeFilePath(path),
                     QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256));
    }
    return files;
}

SyntheticPoolOptions trainedOptions()
{
    SyntheticPoolOptions options;
    options.tasks = 2;
    options.classes = 3;
    options.imagesPerClass = 4;
    options.fineTuneSteps = 40;
    options.fineTuneLearningRate = 1e-2;
    options.weightStd = 0.2;
    return options;
}

} // namespace

class TestSyntheticPool : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_trained; // written once, read by two tests

private Q_SLOTS:
    void initTestCase()
    {
        m_trained =
            QFileInfo(writeSyntheticPool(m_dir.filePath(QStringLiteral("trained")), trainedOptions())).absolutePath();
    }

    void selfLabelledHeadsHaveTheRequestedConfidence()
    {
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 3;
        options.imagesPerClass = 5;
        options.targetConfidence = 0.8;
        const auto pool = LoadedPool::load(writeSyntheticPool(m_dir.filePath(QStringLiteral("self")), options));
        QCOMPARE(accuracyOf(pool, MergeSpec::Method::Individual), (QVector<double>{1.0, 1.0}));
        const auto datasets = openTaskDatasets(pool);
        const ImagePreprocessor preprocessor(pool.pretrained.config.imageSize, pool.pool.normalization);
        for (int t = 0; t < pool.taskCount(); ++t) {
            const auto &head = pool.heads.at(size_t(t));
            QVERIFY(torch::allclose(head.weight.norm(2, {1}), torch::ones({3})));
            std::vector<torch::Tensor> images;
            const ImageDataset &dataset = *datasets.at(size_t(t));
            for (int i = 0; i < dataset.size(); ++i)
                images.push_back(preprocessor.fromEncoded(dataset.encodedImage(i), dataset.sampleName(i)));
            torch::NoGradGuard noGrad;
            const ClipVisionModel own(pool.pretrained.config, pool.tasks.at(size_t(t)).vision, torch::kCPU);
            const double confidence =
                torch::softmax(head.logits(own.encode(torch::stack(images))), 1).amax(1).mean().item<double>();
            // The scale gives a mean top probability of 0.8 over all candidates;
            // the images kept are the ones the model is surest of.
            QVERIFY2(confidence >= 0.8 && confidence < 1.0, qPrintable(QString::number(confidence)));
        }
    }

    void unreachableConfidenceIsRefused()
    {
        SyntheticPoolOptions options;
        options.classes = 4;
        for (double confidence : {0.2, 1.0}) {
            options.targetConfidence = confidence;
            const QString message = wemoe::test::errorOf(
                [&] { writeSyntheticPool(m_dir.filePath(QStringLiteral("bad%1").arg(confidence)), options); });
            QVERIFY2(message.contains(QLatin1String("target confidence")), qPrintable(message));
        }
    }

    void subspaceHeadsWithoutFineTuningAreRefused()
    {
        SyntheticPoolOptions options;
        options.taskSubspaceHeads = true;
        const QString message = wemoe::test::errorOf(
            [&] { writeSyntheticPool(m_dir.filePath(QStringLiteral("untrained-subspace")), options); });
        QVERIFY2(message.contains(QLatin1String("fine-tune steps")), qPrintable(message));
    }

    void trainedPoolLearnsItsClassesInTheMlpsOnly()
    {
        const auto pool = LoadedPool::load(m_trained + QStringLiteral("/pool.json"));
        for (int t = 0; t < pool.taskCount(); ++t) {
            bool mlpChanged = false;
            for (const auto &[name, pretrained] : pool.pretrained.vision) {
                const bool same = torch::equal(pretrained, pool.tasks.at(size_t(t)).vision.at(name));
                if (name.find(".mlp.") == std::string::npos)
                    QVERIFY2(same, name.c_str());
                else
                    mlpChanged = mlpChanged || !same;
            }
            QVERIFY(mlpChanged);
            // Labels are the classes the images were drawn from, imagesPerClass each.
            for (const QString &className : pool.heads.at(size_t(t)).classNames)
                QCOMPARE(QDir(pool.pool.tasks.at(t).testData.paths.first() + QLatin1Char('/') + className)
                             .entryList(QDir::Files)
                             .size(),
                         4);
        }
        // Fine-tuning through the frozen head must beat the head on pretrained features.
        const double individual = mean(accuracyOf(pool, MergeSpec::Method::Individual));
        const double pretrained = mean(accuracyOf(pool, MergeSpec::Method::Pretrained));
        qInfo("pretrained %.3f, individual %.3f", pretrained, individual);
        QVERIFY2(individual > pretrained, qPrintable(QStringLiteral("%1 <= %2").arg(individual).arg(pretrained)));
    }

    void taskSubspaceHeadsReadOnlyTheirBlock()
    {
        SyntheticPoolOptions options = trainedOptions();
        options.fineTuneSteps = 2;
        options.taskSubspaceHeads = true;
        options.config.projectionDim = 17; // two blocks of 8, the last one takes the remainder
        const auto pool = LoadedPool::load(writeSyntheticPool(m_dir.filePath(QStringLiteral("subspace")), options));
        const int64_t firsts[] = {0, 8};
        const int64_t ends[] = {8, 17};
        for (int t = 0; t < 2; ++t) {
            const torch::Tensor weight = pool.heads.at(size_t(t)).weight;
            QCOMPARE(weight.size(1), int64_t(17));
            const torch::Tensor inside = weight.slice(1, firsts[t], ends[t]);
            QVERIFY(torch::allclose(inside.norm(2, {1}), torch::ones({3}), 1e-5, 1e-5));
            QVERIFY2(torch::equal(weight.slice(1, 0, firsts[t]), torch::zeros({3, firsts[t]}))
                         && torch::equal(weight.slice(1, ends[t], 17), torch::zeros({3, 17 - ends[t]})),
                     qPrintable(QStringLiteral("head %1 reads outside its block").arg(t)));
        }
    }

    void sameSeedSameFiles()
    {
        const QString again = m_dir.filePath(QStringLiteral("again"));
        writeSyntheticPool(again, trainedOptions());
        const auto first = fingerprint(m_trained);
        QVERIFY(first.size() > 10);
        const auto second = fingerprint(again);
        QCOMPARE(second.keys(), first.keys());
        for (const QString &file : first.keys())
            QVERIFY2(second.value(file) == first.value(file), qPrintable(file));
    }
};

QTEST_GUILESS_MAIN(TestSyntheticPool)
#include "test_synthetic_pool.moc"
