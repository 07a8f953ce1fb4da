#include "common/error.h"
#include "merge/merge_methods.h"
#include "merge_fixture.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;
using wemoe::test::floats;
using wemoe::test::MergeFixture;

namespace {

// θ0 "w" = [1, 2, 4]; τ1 = [1, 0, -2], τ2 = [3, 2, 0], so θ1 = [2, 2, 2], θ2 = [4, 4, 4].
MergeFixture twoTasks()
{
    MergeFixture f(2);
    f.add("w", floats({1, 2, 4}), {floats({1, 0, -2}), floats({3, 2, 0})});
    return f;
}

// Several tensors of assorted shapes, dtypes and layouts.
MergeFixture mixedFixture()
{
    auto generator = at::detail::createCPUGenerator(11);
    MergeFixture f(3);
    f.add("a.weight", torch::randn({4, 6}, generator, torch::kFloat32).t(), // non-contiguous
          {torch::randn({6, 4}, generator, torch::kFloat32), torch::randn({6, 4}, generator, torch::kFloat32),
           torch::randn({6, 4}, generator, torch::kFloat32)});
    f.add("b.bias", torch::randn({5}, generator, torch::kFloat32),
          {torch::randn({5}, generator, torch::kFloat32), torch::randn({5}, generator, torch::kFloat32),
           torch::randn({5}, generator, torch::kFloat32)});
    f.add("c.scale", torch::randn({}, generator, torch::kFloat32),
          {torch::randn({}, generator, torch::kFloat32), torch::randn({}, generator, torch::kFloat32),
           torch::randn({}, generator, torch::kFloat32)});
    f.pretrained["embeddings.position_ids"] = torch::arange(7); // int64: copied, never merged
    return f;
}

using Rule = std::function<TensorMap(const MergeInputs &, const JobContext &)>;

std::vector<std::pair<QString, Rule>> allRules()
{
    DareOptions dareTies;
    dareTies.thenTies = true;
    return {
        {QStringLiteral("simple_average"),
         [](const MergeInputs &in, const JobContext &c) { return simpleAverage(in, c); }},
        {QStringLiteral("task_arithmetic"),
         [](const MergeInputs &in, const JobContext &c) { return taskArithmetic(in, 0.3, c); }},
        {QStringLiteral("ties"), [](const MergeInputs &in, const JobContext &c) { return tiesMerging(in, {}, c); }},
        {QStringLiteral("dare+ta"), [](const MergeInputs &in, const JobContext &c) { return dareMerging(in, {}, c); }},
        {QStringLiteral("dare+ties"),
         [dareTies](const MergeInputs &in, const JobContext &c) { return dareMerging(in, dareTies, c); }},
    };
}

QString expectErrorContaining(const std::function<void()> &call, const QStringList &parts)
{
    try {
        call();
    } catch (const Cancelled &) {
        return QStringLiteral("cancelled instead of an error");
    } catch (const Error &e) {
        for (const auto &part : parts) {
            if (!e.message().contains(part))
                return QStringLiteral("message '%1' does not mention '%2'").arg(e.message(), part);
        }
        return {};
    }
    return QStringLiteral("no error");
}

} // namespace

class TestMergeRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void simpleAverageIsTheMeanOfTheFineTunedModels()
    {
        // mean([2, 2, 2], [4, 4, 4]) = [3, 3, 3], whatever θ0 is.
        const auto f = twoTasks();
        QVERIFY(torch::equal(simpleAverage(f.inputs()).at("w"), floats({3, 3, 3})));
    }

    void taskArithmeticAddsScaledTaskVectors()
    {
        // Σ τ = [4, 2, -2]; θ0 + 0.25·Σ τ = [1 + 1, 2 + 0.5, 4 − 0.5] = [2, 2.5, 3.5].
        const auto f = twoTasks();
        QVERIFY(torch::equal(taskArithmetic(f.inputs(), 0.25).at("w"), floats({2, 2.5, 3.5})));
        // λ = 0 gives θ0 back; the default λ is 0.3.
        QVERIFY(torch::equal(taskArithmetic(f.inputs(), 0.0).at("w"), floats({1, 2, 4})));
        const auto expected = floats({1, 2, 4}) + 0.3 * floats({4, 2, -2});
        QVERIFY(torch::allclose(taskArithmetic(f.inputs()).at("w"), expected, 0, 1e-6));
    }

    void mergeInputsReadFloat32()
    {
        MergeFixture f(1);
        f.add("w", floats({1.5, -2, 3}).to(torch::kBFloat16), {floats({0.25, 1, -0.5}).to(torch::kBFloat16)});
        f.pretrained["ids"] = torch::arange(3);
        const auto in = f.inputs();
        QCOMPARE(in.taskCount(), 1);
        QCOMPARE(in.mergeableNames(), std::vector<std::string>{"w"});
        QCOMPARE(in.base("w").scalar_type(), torch::kFloat32);
        QVERIFY(torch::equal(in.base("w"), floats({1.5, -2, 3})));
        // θ1 = [1.75, -1, 2.5] in bf16 (exact), so τ = [0.25, 1, -0.5].
        QVERIFY(torch::equal(in.taskVector(0, "w"), floats({0.25, 1, -0.5})));
        QVERIFY_THROWS_EXCEPTION(Error, in.taskVector(1, "w"));
        QVERIFY_THROWS_EXCEPTION(Error, in.taskVector(0, "missing"));
        QVERIFY_THROWS_EXCEPTION(Error, in.base("missing"));
    }

    void outputsAreContiguousFloat32WithPretrainedNames()
    {
        const auto f = mixedFixture();
        for (const auto &[name, rule] : allRules()) {
            const auto out = rule(f.inputs(), {});
            QCOMPARE(out.size(), f.pretrained.size());
            for (const auto &[tensorName, theta0] : f.pretrained) {
                QVERIFY2(out.count(tensorName), qPrintable(name));
                const auto &t = out.at(tensorName);
                QVERIFY(t.is_contiguous());
                QVERIFY(t.device().is_cpu());
                QCOMPARE(t.sizes(), theta0.sizes());
                if (tensorName == "embeddings.position_ids") {
                    QCOMPARE(t.scalar_type(), torch::kInt64);
                    QVERIFY(torch::equal(t, theta0));
                } else {
                    QCOMPARE(t.scalar_type(), torch::kFloat32);
                }
            }
        }
        // The non-contiguous θ0 is read by its logical layout.
        const auto ta = taskArithmetic(f.inputs(), 0.5);
        auto sum = f.tasks[0].at("a.weight") - f.pretrained.at("a.weight");
        sum += f.tasks[1].at("a.weight") - f.pretrained.at("a.weight");
        sum += f.tasks[2].at("a.weight") - f.pretrained.at("a.weight");
        const auto expected = f.pretrained.at("a.weight") + 0.5 * sum;
        QVERIFY2(torch::allclose(ta.at("a.weight"), expected, 0, 1e-5),
                 qPrintable(wemoe::test::describeMismatch(ta.at("a.weight"), expected, 0, 1e-5)));
    }

    void halfPrecisionInputsMatchTheirFloatConversion()
    {
        const auto f = mixedFixture();
        for (const auto dtype : {torch::kBFloat16, torch::kFloat16}) {
            const auto low = f.convertedTo(dtype);
            const auto widened = low.convertedTo(torch::kFloat32);
            for (const auto &[name, rule] : allRules()) {
                const auto a = rule(low.inputs(), {});
                const auto b = rule(widened.inputs(), {});
                for (const auto &[tensorName, tensor] : b)
                    QVERIFY2(torch::equal(a.at(tensorName), tensor),
                             qPrintable(name + QStringLiteral(" ") + QString::fromStdString(tensorName)));
            }
        }
    }

    void zeroTasksIsAnError()
    {
        MergeFixture f(0);
        f.add("w", floats({1, 2}), {});
        for (const auto &[name, rule] : allRules()) {
            const QString problem = expectErrorContaining([&] { rule(f.inputs(), {}); },
                                                          {QStringLiteral("no fine-tuned models")});
            QVERIFY2(problem.isEmpty(), qPrintable(name + QStringLiteral(": ") + problem));
        }
        MergeInputs none;
        QVERIFY_THROWS_EXCEPTION(Error, taskArithmetic(none));
    }

    void missingTensorNamesTensorAndTask()
    {
        auto f = mixedFixture();
        f.tasks[1].erase("b.bias");
        for (const auto &[name, rule] : allRules()) {
            const QString problem = expectErrorContaining([&] { rule(f.inputs(), {}); },
                                                          {QStringLiteral("'b.bias'"), QStringLiteral("task index 1")});
            QVERIFY2(problem.isEmpty(), qPrintable(name + QStringLiteral(": ") + problem));
        }
    }

    void shapeMismatchNamesTensorAndTask()
    {
        auto f = mixedFixture();
        f.tasks[2]["b.bias"] = torch::zeros({6});
        for (const auto &[name, rule] : allRules()) {
            const QString problem = expectErrorContaining([&] { rule(f.inputs(), {}); },
                                                          {QStringLiteral("'b.bias'"), QStringLiteral("task index 2"),
                                                           QStringLiteral("[6]"), QStringLiteral("[5]")});
            QVERIFY2(problem.isEmpty(), qPrintable(name + QStringLiteral(": ") + problem));
        }
        QVERIFY(expectErrorContaining([&] { f.inputs().taskVector(2, "b.bias"); },
                                      {QStringLiteral("'b.bias'"), QStringLiteral("task index 2")})
                    .isEmpty());
    }

    void nonFiniteScalingFactorIsAnError()
    {
        const auto f = twoTasks();
        QVERIFY_THROWS_EXCEPTION(Error, taskArithmetic(f.inputs(), std::nan("")));
        TiesOptions ties;
        ties.scalingFactor = std::numeric_limits<double>::infinity();
        QVERIFY_THROWS_EXCEPTION(Error, tiesMerging(f.inputs(), ties));
    }

    void progressReachesTotal()
    {
        const auto f = mixedFixture();
        for (const auto &[name, rule] : allRules()) {
            qint64 lastDone = 0;
            qint64 lastTotal = -1;
            int calls = 0;
            JobContext context;
            context.onProgress = [&](qint64 done, qint64 total, const QString &) {
                QVERIFY(done == lastDone + 1);
                QVERIFY(lastTotal < 0 || total == lastTotal);
                lastDone = done;
                lastTotal = total;
                ++calls;
            };
            rule(f.inputs(), context);
            QVERIFY2(calls > 0, qPrintable(name));
            QCOMPARE(lastDone, lastTotal);
        }
        // Task arithmetic: one unit per tensor of θ0 (3 floating + position ids).
        qint64 total = 0;
        JobContext context;
        context.onProgress = [&](qint64, qint64 t, const QString &) { total = t; };
        taskArithmetic(f.inputs(), 0.3, context);
        QCOMPARE(total, qint64(4));
    }

    void cancellationThrowsCancelled()
    {
        const auto f = mixedFixture();
        for (const auto &[name, rule] : allRules()) {
            std::atomic<bool> cancel{false};
            JobContext context;
            context.cancelFlag = &cancel;
            int calls = 0;
            context.onProgress = [&](qint64, qint64, const QString &) {
                ++calls;
                cancel = true;
            };
            QVERIFY_THROWS_EXCEPTION(Cancelled, rule(f.inputs(), context));
            QCOMPARE(calls, 1); // stopped before the second tensor
            cancel = true;
            calls = 0;
            QVERIFY_THROWS_EXCEPTION(Cancelled, rule(f.inputs(), context));
            QCOMPARE(calls, 0);
        }
    }
};

QTEST_APPLESS_MAIN(TestMergeRules)
#include "test_merge_rules.moc"
