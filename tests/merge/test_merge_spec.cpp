#include "common/error.h"
#include "merge/merge_spec.h"
#include "merge_fixture.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;
using wemoe::test::MergeFixture;
using wemoe::test::sameTensorMaps;

namespace {

MergeFixture smallFixture()
{
    auto generator = at::detail::createCPUGenerator(3);
    MergeFixture f(3);
    for (const auto &name : {"a", "b"}) {
        std::vector<torch::Tensor> taus;
        for (int t = 0; t < 3; ++t)
            taus.push_back(torch::randn({8, 5}, generator, torch::kFloat32));
        f.add(name, torch::randn({8, 5}, generator, torch::kFloat32), taus);
    }
    f.pretrained["ids"] = torch::arange(5);
    return f;
}

} // namespace

class TestMergeSpec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void methodNamesRoundTrip()
    {
        const QStringList expected = {QStringLiteral("pretrained"),     QStringLiteral("individual"),
                                      QStringLiteral("simple_average"), QStringLiteral("task_arithmetic"),
                                      QStringLiteral("ties"),           QStringLiteral("dare")};
        QCOMPARE(MergeSpec::methodNames(), expected);
        for (const auto &name : expected)
            QCOMPARE(MergeSpec::methodName(MergeSpec::parseMethod(name)), name);
        QCOMPARE(MergeSpec::parseMethod(QStringLiteral(" TIES ")), MergeSpec::Method::Ties);
    }

    void unknownMethodListsTheKnownOnes()
    {
        try {
            MergeSpec::parseMethod(QStringLiteral("fisher"));
            QFAIL("no error for an unknown method");
        } catch (const Error &e) {
            QVERIFY(e.message().contains(QStringLiteral("'fisher'")));
            QVERIFY(e.message().contains(QStringLiteral("simple_average, task_arithmetic, ties, dare")));
        }
    }

    void labelsSayTheParameters()
    {
        MergeSpec spec;
        QCOMPARE(spec.label(), QStringLiteral("task_arithmetic (λ=0.3)"));
        spec.scalingFactor = 0.25;
        QCOMPARE(spec.label(), QStringLiteral("task_arithmetic (λ=0.25)"));

        spec.method = MergeSpec::Method::Ties;
        spec.scalingFactor = 0.3; // one λ for every method
        QCOMPARE(spec.label(), QStringLiteral("ties (λ=0.3, k=20%, sum)"));
        spec.ties.topK = 0.1;
        spec.scalingFactor = 0.5;
        spec.ties.mergeFunction = TiesMergeFunction::Mean;
        spec.ties.perTensorTopK = true;
        QCOMPARE(spec.label(), QStringLiteral("ties (λ=0.5, k=10% per tensor, mean)"));

        MergeSpec dare;
        dare.method = MergeSpec::Method::Dare;
        QCOMPARE(dare.label(), QStringLiteral("dare+ta (p=0.5, λ=0.3, seed 0)"));
        dare.dare.thenTies = true;
        dare.dare.rescale = false;
        dare.dare.seed = 7;
        dare.dare.dropRate = 0.9;
        QCOMPARE(dare.label(), QStringLiteral("dare+ties (p=0.9, no rescale, λ=0.3, k=20%, sum, seed 7)"));

        for (const auto method :
             {MergeSpec::Method::Pretrained, MergeSpec::Method::Individual, MergeSpec::Method::SimpleAverage}) {
            MergeSpec plain;
            plain.method = method;
            QCOMPARE(plain.label(), MergeSpec::methodName(method));
        }

        // A sweep's series is named without λ.
        MergeSpec swept;
        QCOMPARE(swept.label(MergeSpec::Lambda::Omitted), QStringLiteral("task_arithmetic"));
        swept.method = MergeSpec::Method::Ties;
        QCOMPARE(swept.label(MergeSpec::Lambda::Omitted), QStringLiteral("ties (k=20%, sum)"));
        swept.method = MergeSpec::Method::Dare;
        QCOMPARE(swept.label(MergeSpec::Lambda::Omitted), QStringLiteral("dare+ta (p=0.5, seed 0)"));
    }

    void jsonRecordsTheParameters()
    {
        MergeSpec ta;
        auto json = ta.toJson();
        QCOMPARE(json.value(QStringLiteral("method")).toString(), QStringLiteral("task_arithmetic"));
        QCOMPARE(json.value(QStringLiteral("scaling_factor")).toDouble(), 0.3);
        QCOMPARE(json.value(QStringLiteral("label")).toString(), ta.label());

        MergeSpec ties;
        ties.method = MergeSpec::Method::Ties;
        ties.ties.mergeFunction = TiesMergeFunction::Max;
        json = ties.toJson();
        QCOMPARE(json.value(QStringLiteral("top_k")).toDouble(), 0.2);
        QCOMPARE(json.value(QStringLiteral("merge_function")).toString(), QStringLiteral("max"));
        QCOMPARE(json.value(QStringLiteral("per_tensor_top_k")).toBool(), false);

        MergeSpec dare;
        dare.method = MergeSpec::Method::Dare;
        dare.dare.seed = 12345;
        json = dare.toJson();
        QCOMPARE(json.value(QStringLiteral("drop_rate")).toDouble(), 0.5);
        QCOMPARE(json.value(QStringLiteral("rescale")).toBool(), true);
        QCOMPARE(json.value(QStringLiteral("seed")).toInteger(), qint64(12345));
        QCOMPARE(json.value(QStringLiteral("then")).toString(), QStringLiteral("task_arithmetic"));
        dare.dare.seed = ~quint64(0);
        QCOMPARE(dare.toJson().value(QStringLiteral("seed")).toString(), QStringLiteral("18446744073709551615"));
    }

    void mergeRunsTheNamedRule()
    {
        const auto f = smallFixture();
        const auto in = f.inputs();
        MergeSpec spec;
        spec.scalingFactor = 0.6;
        QVERIFY(sameTensorMaps(spec.merge(in), taskArithmetic(in, 0.6)));

        spec.method = MergeSpec::Method::SimpleAverage;
        QVERIFY(sameTensorMaps(spec.merge(in), simpleAverage(in)));

        spec.method = MergeSpec::Method::Ties;
        spec.ties.topK = 0.4;
        spec.ties.mergeFunction = TiesMergeFunction::Mean;
        TiesOptions tiesExpected = spec.ties;
        tiesExpected.scalingFactor = spec.scalingFactor;
        QVERIFY(sameTensorMaps(spec.merge(in), tiesMerging(in, tiesExpected)));

        // DARE takes λ and the TIES options from the spec's own fields.
        spec.method = MergeSpec::Method::Dare;
        spec.dare.scalingFactor = 0.1; // ignored: spec.scalingFactor (0.6) is the one
        spec.dare.seed = 5;
        DareOptions expected = spec.dare;
        expected.scalingFactor = 0.6;
        QVERIFY(sameTensorMaps(spec.merge(in), dareMerging(in, expected)));
        spec.dare.thenTies = true;
        expected.thenTies = true;
        expected.ties = tiesExpected;
        QVERIFY(sameTensorMaps(spec.merge(in), dareMerging(in, expected)));
    }

    void pretrainedIsACopyOfTheta0()
    {
        const auto f = smallFixture().convertedTo(torch::kBFloat16);
        MergeSpec spec;
        spec.method = MergeSpec::Method::Pretrained;
        auto out = spec.merge(f.inputs());
        QCOMPARE(out.size(), f.pretrained.size());
        QCOMPARE(out.at("a").scalar_type(), torch::kFloat32);
        QVERIFY(torch::equal(out.at("a"), f.pretrained.at("a").to(torch::kFloat32)));
        QVERIFY(torch::equal(out.at("ids"), f.pretrained.at("ids")));
        out.at("a").zero_();
        QVERIFY(!torch::equal(out.at("a"), f.pretrained.at("a").to(torch::kFloat32)));
    }

    void individualHasNoMergedModel()
    {
        const auto f = smallFixture();
        MergeSpec spec;
        spec.method = MergeSpec::Method::Individual;
        try {
            spec.merge(f.inputs());
            QFAIL("individual returned a merged model");
        } catch (const Cancelled &) {
            QFAIL("individual reported a cancellation");
        } catch (const Error &e) {
            QVERIFY(e.message().contains(QStringLiteral("own fine-tuned weights")));
        }
    }
};

QTEST_APPLESS_MAIN(TestMergeSpec)
#include "test_merge_spec.moc"
