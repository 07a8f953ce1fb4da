// Collapsed exports (one plain CLIP folder per task) are one staged output in
// the CLI and the studio alike: a cancel between tasks leaves nothing, task
// names from files cannot leave the output, and the folders hold exactly the
// collapsed weights.

#include "common/error.h"
#include "demo/synthetic_pool.h"
#include "folder_entries.h"
#include "io/checkpoint.h"
#include "moe/collapsed_export.h"
#include "pool/loaded_pool.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>

using namespace wemoe;
using namespace wemoe::test;

class TestCollapsedExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LoadedPool> m_pool;

    UpscaledClipModel upscale(const QStringList &taskNames) const
    {
        UpscaleOptions options;
        options.mlp.routerSeed = 3;
        return UpscaledClipModel::upscale(m_pool->pretrained.config,
                                          {&m_pool->pretrained.vision, m_pool->taskWeights()}, taskNames, options,
                                          torch::kCPU);
    }

    // Per task, a different mix of experts at every layer: [tasks, layers, experts].
    torch::Tensor routing(const UpscaledClipModel &model) const
    {
        return torch::linspace(-0.2, 0.9, model.experts() * model.layers() * model.experts())
            .reshape({model.experts(), model.layers(), model.experts()});
    }

private Q_SLOTS:
    void initTestCase()
    {
        SyntheticPoolOptions options;
        options.tasks = 3;
        options.classes = 2;
        options.imagesPerClass = 2;
        m_pool = std::make_unique<LoadedPool>(
            LoadedPool::load(writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), options)));
    }

    void writesEachTasksCollapsedModel()
    {
        const UpscaledClipModel model = upscale(m_pool->taskNames());
        QTemporaryDir out;
        const QString folder = QDir(out.path()).filePath(QStringLiteral("collapsed"));
        const QStringList tasks{m_pool->taskNames().at(2), m_pool->taskNames().at(0)};
        const QStringList written = exportCollapsedModels(folder, m_pool->pretrained, model, tasks, routing(model),
                                                          QStringLiteral("sample"), {}, m_pool->pool.path);
        QCOMPARE(written, (QStringList{QDir(folder).filePath(tasks[0]), QDir(folder).filePath(tasks[1])}));
        QCOMPARE(entriesOf(out.path()), QStringList{QStringLiteral("collapsed")});
        QCOMPARE(entriesOf(folder), (QStringList{tasks[1], tasks[0]}));
        for (const QString &task : tasks) {
            const Checkpoint read = Checkpoint::load(QDir(folder).filePath(task));
            const int t = m_pool->taskNames().indexOf(task);
            TensorMap expected = model.collapse(routing(model)[t]);
            for (auto &[name, tensor] : expected)
                tensor = tensor.to(m_pool->pretrained.vision.at(name).scalar_type());
            QVERIFY2(sameTensorMaps(read.vision, expected), qPrintable(task));
            QCOMPARE(QString::fromStdString(read.metadata.at("wemoe_method")),
                     QStringLiteral("wemoe collapsed for %1 (sample routing)").arg(task));
        }
    }

    // The report's "Ctrl-C between tasks left OUT/alpha behind": cancelled as
    // the first task's weights finish writing, nothing of the output remains.
    void cancelBetweenTasksLeavesNothing()
    {
        const UpscaledClipModel model = upscale(m_pool->taskNames());
        QTemporaryDir out;
        std::atomic<bool> cancel{false};
        JobContext context;
        context.cancelFlag = &cancel;
        context.onProgress = [&](qint64 done, qint64 total, const QString &) {
            if (done == total)
                cancel = true; // the first task's weights are written
        };
        const QString folder = QDir(out.path()).filePath(QStringLiteral("collapsed"));
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, exportCollapsedModels(folder, m_pool->pretrained, model, m_pool->taskNames(), routing(model),
                                             QStringLiteral("sample"), {}, m_pool->pool.path, context));
        QCOMPARE(entriesOf(out.path()), QStringList());
    }

    // Task names come from files (a downloaded pool, a WEMoE model): with
    // overwrite on, "../canary" would have replaced and deleted the folder
    // beside the output.
    void hostileTaskNameCannotLeaveTheOutput()
    {
        const UpscaledClipModel model = upscale(
            {QStringLiteral("alpha"), QStringLiteral("../canary"), QStringLiteral("gamma")});
        QTemporaryDir out;
        const QDir parent(out.path());
        QVERIFY(parent.mkdir(QStringLiteral("canary")));
        QVERIFY(parent.mkdir(QStringLiteral("collapsed")));
        ExportOptions options;
        options.overwrite = true;
        const QString message = errorOf([&] {
            exportCollapsedModels(parent.filePath(QStringLiteral("collapsed")), m_pool->pretrained, model,
                                  model.taskNames(), routing(model), QStringLiteral("sample"), options,
                                  QStringLiteral("downloaded.wemoe.safetensors"));
        });
        QCOMPARE(message,
                 QStringLiteral("downloaded.wemoe.safetensors: task name '../canary' cannot be a file or folder "
                                "name: it contains the path separator '/'"));
        QCOMPARE(entriesOf(out.path()), (QStringList{QStringLiteral("canary"), QStringLiteral("collapsed")}));
        QCOMPARE(entriesOf(parent.filePath(QStringLiteral("collapsed"))), QStringList());
    }

    void existingOutputNeedsOverwrite()
    {
        const UpscaledClipModel model = upscale(m_pool->taskNames());
        QTemporaryDir out;
        const QString folder = QDir(out.path()).filePath(QStringLiteral("collapsed"));
        QVERIFY(QDir().mkdir(folder));
        const QString message = errorOf([&] {
            exportCollapsedModels(folder, m_pool->pretrained, model, m_pool->taskNames(), routing(model),
                                  QStringLiteral("batch"), {}, m_pool->pool.path);
        });
        QCOMPARE(message, folder + QStringLiteral(": already exists (allow overwriting or choose another folder)"));
        ExportOptions options;
        options.overwrite = true;
        exportCollapsedModels(folder, m_pool->pretrained, model, {m_pool->taskNames().at(1)}, routing(model),
                              QStringLiteral("batch"), options, m_pool->pool.path);
        QCOMPARE(entriesOf(folder), QStringList{m_pool->taskNames().at(1)});
        QCOMPARE(entriesOf(out.path()), QStringList{QStringLiteral("collapsed")});
    }
};

QTEST_GUILESS_MAIN(TestCollapsedExport)
#include "test_collapsed_export.moc"
