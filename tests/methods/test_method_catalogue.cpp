// The method catalogue: one description per method, one parser, one label,
// one JSON form; and runMethod / runLambdaSweep giving the numbers the engine
// gives when called directly.

#include "common/error.h"
#include "demo/synthetic_pool.h"
#include "eval/evaluator.h"
#include "merge/merge_spec.h"
#include "methods/engine_options.h"
#include "methods/lambda_sweep.h"
#include "methods/method_call.h"
#include "methods/method_catalogue.h"
#include "methods/method_run.h"
#include "pool/loaded_pool.h"
#include "test_support.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;

class TestMethodCatalogue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyDefaultIsValidAndReadsBack()
    {
        QStringList names;
        for (const MethodDescription &method : methodCatalogue()) {
            QVERIFY2(!names.contains(method.name), qPrintable(method.name));
            names << method.name;
            QVERIFY(qstrlen(method.title) > 0 && qstrlen(method.summary) > 0);
            QStringList keys;
            for (const Parameter &p : method.parameters) {
                QVERIFY2(!keys.contains(p.key), qPrintable(method.name + QLatin1Char('.') + p.key));
                keys << p.key;
                QVERIFY2(qstrlen(p.title) > 0 && qstrlen(p.help) > 0, qPrintable(p.key));
                // The default passes the checks every value passes, and its text reads back as itself.
                QCOMPARE(p.checked(p.defaultValue), p.defaultValue);
                QCOMPARE(p.parse(p.format(p.defaultValue)), p.defaultValue);
            }
            const MethodCall call(method.name);
            QCOMPARE(call.text(), method.name); // nothing off its default
            QCOMPARE(MethodCall::parse(call.text()), call);
        }
        QCOMPARE(names, (QStringList{"pretrained", "individual", "simple_average", "task_arithmetic", "ties", "dare",
                                     "fisher", "regmean", "regmean_plus_plus", "adamerging_task", "adamerging_layer",
                                     "wemoe", "ewemoe"}));
        QStringList defaults;
        for (const MethodCall &call : defaultMethodCalls())
            defaults << call.method();
        QCOMPARE(defaults,
                 (QStringList{"pretrained", "individual", "simple_average", "task_arithmetic", "ties", "dare"}));
    }

    void parsesTheCommandLineSyntax()
    {
        MethodCall ties = MethodCall::parse(QStringLiteral("ties:k=0.1,merge=mean,lambda=0.5,per_tensor=yes"));
        QCOMPARE(ties.real(QStringLiteral("k")), 0.1);
        QCOMPARE(ties.choice(QStringLiteral("merge")), QStringLiteral("mean"));
        QCOMPARE(ties.real(QStringLiteral("lambda")), 0.5);
        QVERIFY(ties.flag(QStringLiteral("per_tensor")));
        QCOMPARE(ties.text(), QStringLiteral("ties:lambda=0.5,k=0.1,merge=mean,per_tensor=true"));
        // Percentages as FusionBench writes them: k=20 is 20 %.
        QCOMPARE(MethodCall::parse(QStringLiteral("ties:k=20")).real(QStringLiteral("k")), 0.2);
        // Aliases and spellings read back as the canonical value.
        QCOMPARE(MethodCall::parse(QStringLiteral("dare:then=task_arithmetic")).choice(QStringLiteral("then")),
                 QStringLiteral("ta"));
        QCOMPARE(MethodCall::parse(QStringLiteral("adamerging")).method(), QStringLiteral("adamerging_task"));
        QCOMPARE(MethodCall::parse(QStringLiteral("wemoe:routing=batch_reduce")).choice(QStringLiteral("routing")),
                 QStringLiteral("batch"));
        // A seed beyond a double's 2^53 stays exact.
        QCOMPARE(MethodCall::parse(QStringLiteral("dare:seed=18446744073709551615")).seed(QStringLiteral("seed")),
                 ~quint64(0));
        QCOMPARE(MethodCall::parse(QStringLiteral("wemoe:steps=1e3")).integer(QStringLiteral("steps")), 1000);
    }

    void refusesWhatItCannotRun_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown method") << "zipit"
                                        << "unknown method 'zipit' (known: pretrained,";
        QTest::newRow("unknown key") << "ties:q=1"
                                     << "unknown parameter 'q' for ties (known: lambda, k, merge, per_tensor)";
        QTest::newRow("no parameters") << "simple_average:lambda=1"
                                       << "unknown parameter 'lambda' for simple_average (it takes none)";
        QTest::newRow("not KEY=VALUE") << "ties:k"
                                       << "expected KEY=VALUE, got 'k'";
        QTest::newRow("not a number") << "task_arithmetic:lambda=big"
                                      << "lambda=big is not a number";
        QTest::newRow("out of range") << "dare:p=1"
                                      << "p=1 is outside 0 ... 0.99";
        QTest::newRow("not whole") << "wemoe:steps=2.5"
                                   << "steps=2.5 is not a whole number";
        QTest::newRow("bad choice") << "ties:merge=median"
                                    << "merge=median is not one of sum | mean | max";
        QTest::newRow("bad depth") << "wemoe:depth=3"
                                   << "depth=3 is not one of 2 | 1 | 0";
        QTest::newRow("bad flag") << "wemoe:bf16=maybe"
                                  << "bf16=maybe is not true or false";
        QTest::newRow("negative seed") << "dare:seed=-1"
                                       << "seed=-1 is not a seed";
        QTest::newRow("zero batch") << "adamerging_task:batch=0"
                                    << "batch=0 is outside 1 ... 4096";
        QTest::newRow("NaN") << "task_arithmetic:lambda=nan"
                             << "lambda=nan is not a number";
    }

    void refusesWhatItCannotRun()
    {
        QFETCH(QString, text);
        QFETCH(QString, says);
        try {
            MethodCall::parse(text);
            QFAIL("accepted");
        } catch (const Error &e) {
            QVERIFY2(e.message().contains(says), qPrintable(e.message()));
            QVERIFY2(e.message().startsWith(QStringLiteral("method '%1'").arg(text))
                         || says.startsWith(QLatin1String("unknown method")),
                     qPrintable(e.message()));
        }
    }

    // The labels of the accuracy table, as written by hand.
    void labelsAreTheTablesRows()
    {
        const auto label = [](const char *text) { return MethodCall::parse(QString::fromUtf8(text)).label(); };
        QCOMPARE(label("pretrained"), QStringLiteral("pretrained"));
        QCOMPARE(label("simple_average"), QStringLiteral("simple_average"));
        QCOMPARE(label("task_arithmetic"), QStringLiteral("task_arithmetic (λ=0.3)"));
        QCOMPARE(label("ties:k=10,merge=max,per_tensor=true,lambda=0.5"),
                 QStringLiteral("ties (λ=0.5, k=10% per tensor, max)"));
        QCOMPARE(label("dare"), QStringLiteral("dare+ta (p=0.5, λ=0.3, seed 0)"));
        QCOMPARE(label("dare:then=ties,rescale=false,seed=7,p=0.9"),
                 QStringLiteral("dare+ties (p=0.9, no rescale, λ=0.3, k=20%, sum, seed 7)"));
        QCOMPARE(label("adamerging_layer:steps=3,lr=0.01"),
                 QStringLiteral("adamerging (layer-wise, 3 steps, lr 0.01)"));
        QCOMPARE(label("regmean"), QStringLiteral("regmean (α=0.95, 256 train images/task)"));
        QCOMPARE(label("regmean++:alpha=0.5,examples=64,data=test"),
                 QStringLiteral("regmean++ (α=0.5, 64 test images/task)"));
        QCOMPARE(label("fisher:data=train_or_test,seed=3,batch=8"),
                 QStringLiteral("fisher (256 train-or-test images/task)"));
        QCOMPARE(label("wemoe:steps=3,diversity=1,routing=batch"),
                 QStringLiteral("wemoe (depth 2, 3 steps, lr 0.0001, diversity 1, batch_reduce routing)"));
        // A sweep's series: the label without λ.
        const auto sweepLabel = [](const char *text) {
            return MethodCall::parse(QString::fromUtf8(text)).labelWithoutLambda();
        };
        QCOMPARE(sweepLabel("task_arithmetic:lambda=0.7"), QStringLiteral("task_arithmetic"));
        QCOMPARE(sweepLabel("ties"), QStringLiteral("ties (k=20%, sum)"));
        QCOMPARE(sweepLabel("dare"), QStringLiteral("dare+ta (p=0.5, seed 0)"));
        QCOMPARE(sweepLabel("dare:then=ties"), QStringLiteral("dare+ties (p=0.5, k=20%, sum, seed 0)"));
        QCOMPARE(sweepLabel("regmean"), label("regmean")); // no λ to leave out
    }

    void jsonKeepsEveryValue()
    {
        MethodCall call = MethodCall::parse(QStringLiteral("dare:p=0.25,seed=18446744073709551615,then=ties,k=0.3"));
        const QJsonObject json = call.toJson();
        QCOMPARE(json.value(QStringLiteral("method")).toString(), QStringLiteral("dare"));
        const QJsonObject parameters = json.value(QStringLiteral("parameters")).toObject();
        QCOMPARE(parameters.size(), call.description().parameters.size()); // every key, defaults too
        QCOMPARE(parameters.value(QStringLiteral("seed")).toString(), QStringLiteral("18446744073709551615"));
        QCOMPARE(MethodCall::fromJson(json), call);
        QCOMPARE(MethodCall::fromJson(json).seed(QStringLiteral("seed")), ~quint64(0));
        // Missing keys keep their defaults; wrong types and values are refused.
        QCOMPARE(MethodCall::fromJson({{QStringLiteral("method"), QStringLiteral("ties")}}),
                 MethodCall(QStringLiteral("ties")));
        QVERIFY_THROWS_EXCEPTION(
            Error, MethodCall::fromJson(
                       {{QStringLiteral("method"), QStringLiteral("ties")},
                        {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("k"), QStringLiteral("20")}}}}));
        QVERIFY_THROWS_EXCEPTION(
            Error, MethodCall::fromJson({{QStringLiteral("method"), QStringLiteral("ties")},
                                         {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("k"), 7.0}}}}));
        QVERIFY_THROWS_EXCEPTION(Error, MethodCall::fromJson({{QStringLiteral("method"), 3}}));
    }

    void engineOptionsTakeEveryKey()
    {
        const MethodCall wemoe = MethodCall::parse(
            QStringLiteral("wemoe:steps=9,lr=0.002,batch=5,seed=11,depth=1,init_lambda=0.2,lambda=0.4,routing=batch,"
                           "adapt_routing=batch,bf16=true,diversity=1.5"));
        const UpscaleOptions upscale = toUpscaleOptions(wemoe);
        QCOMPARE(upscale.scalingFactor, 0.4);
        QCOMPARE(upscale.mlp.routerDepth, 1);
        QCOMPARE(upscale.mlp.initLambda, 0.2);
        QCOMPARE(upscale.mlp.routerSeed, quint64(11));
        QVERIFY(upscale.mlp.bf16TaskVectors);
        const RouterAdaptationOptions adaptation = toRouterAdaptationOptions(wemoe);
        QCOMPARE(adaptation.steps, 9);
        QCOMPARE(adaptation.learningRate, 0.002);
        QCOMPARE(adaptation.batchSize, 5);
        QCOMPARE(adaptation.seed, quint64(11));
        QCOMPARE(adaptation.routing, RoutingMode::BatchReduce);
        QCOMPARE(adaptation.diversityWeight, 1.5);
        QCOMPARE(evaluationRouting(wemoe), RoutingMode::BatchReduce);

        const AdaMergingOptions ada = toAdaMergingOptions(
            MethodCall::parse(QStringLiteral("adamerging_layer:steps=4,lr=0.05,batch=3,seed=2,init_lambda=0.6")));
        QCOMPARE(ada.granularity, AdaMergingGranularity::LayerWise);
        QCOMPARE(ada.steps, 4);
        QCOMPARE(ada.learningRate, 0.05);
        QCOMPARE(ada.batchSize, 3);
        QCOMPARE(ada.seed, quint64(2));
        QCOMPARE(ada.initLambda, 0.6);

        const MergeSpec dare = toMergeSpec(
            MethodCall::parse(QStringLiteral("dare:p=0.2,rescale=false,seed=4,then=ties,lambda=0.7,k=0.4,merge=max")));
        QCOMPARE(dare.method, MergeSpec::Method::Dare);
        QCOMPARE(dare.scalingFactor, 0.7);
        QCOMPARE(dare.dare.dropRate, 0.2);
        QVERIFY(!dare.dare.rescale);
        QCOMPARE(dare.dare.seed, quint64(4));
        QVERIFY(dare.dare.thenTies);
        QCOMPARE(dare.ties.topK, 0.4);
        QCOMPARE(dare.ties.mergeFunction, TiesMergeFunction::Max);
        const MethodCall regMeanCall = MethodCall::parse(
            QStringLiteral("regmean_plus_plus:alpha=0.8,examples=100,data=train_or_test,batch=7,seed=5"));
        const CalibrationOptions calibration = toCalibrationOptions(regMeanCall);
        QCOMPARE(calibration.examplesPerTask, 100);
        QCOMPARE(calibration.images, CalibrationImages::TrainOrTest);
        QCOMPARE(calibration.batchSize, 7);
        QCOMPARE(calibration.seed, quint64(5));
        const RegMeanOptions regMean = toRegMeanOptions(regMeanCall);
        QCOMPARE(regMean.nonDiagonalScale, 0.8);
        QVERIFY(regMean.plusPlus);
        QVERIFY(!toRegMeanOptions(MethodCall(QStringLiteral("regmean"))).plusPlus);
        QCOMPARE(toCalibrationOptions(MethodCall::parse(QStringLiteral("fisher:data=test"))).images,
                 CalibrationImages::Test);
        const FisherMergingOptions fisher = toFisherMergingOptions(
            MethodCall::parse(QStringLiteral("fisher:normalize=false,min_weight=0.001")));
        QVERIFY(!fisher.normalize);
        QCOMPARE(fisher.minimalWeight, 0.001);
        QVERIFY(toFisherMergingOptions(MethodCall(QStringLiteral("fisher"))).normalize);
        QCOMPARE(toFisherMergingOptions(MethodCall(QStringLiteral("fisher"))).minimalWeight, 1e-6);
        QVERIFY_THROWS_EXCEPTION(Error, toRegMeanOptions(MethodCall(QStringLiteral("fisher"))));
        QVERIFY_THROWS_EXCEPTION(Error, toFisherMergingOptions(regMeanCall));
        QVERIFY_THROWS_EXCEPTION(Error, toCalibrationOptions(MethodCall(QStringLiteral("ties"))));
        QVERIFY_THROWS_EXCEPTION(Error, toMergeSpec(wemoe));
        QVERIFY_THROWS_EXCEPTION(Error, toUpscaleOptions(MethodCall(QStringLiteral("ties"))));
        QCOMPARE(parseRoutingMode(QStringLiteral("per_sample")), RoutingMode::PerSample);
        QVERIFY_THROWS_EXCEPTION(Error, parseRoutingMode(QStringLiteral("sometimes")));
    }

    void sweepPointsAreExact()
    {
        LambdaSweep sweep;
        const QVector<double> points = sweep.points();
        QCOMPARE(points.size(), 11);
        QCOMPARE(points.at(3), 0.3); // not 0.30000000000000004
        QCOMPARE(points.last(), 1.0);
        QCOMPARE(sweep.at(0.3).label(), QStringLiteral("task_arithmetic (λ=0.3)"));
        sweep.step = 0.0;
        QVERIFY_THROWS_EXCEPTION(Error, sweep.points());
        sweep.step = 1e-4;
        QVERIFY_THROWS_EXCEPTION(Error, sweep.points()); // 10001 points
        sweep.step = 0.5;
        sweep.to = -1.0;
        QVERIFY_THROWS_EXCEPTION(Error, sweep.points());
        sweep.to = 1.0;
        sweep.method = MethodCall(QStringLiteral("simple_average"));
        QVERIFY_THROWS_EXCEPTION(Error, sweep.points());
        QCOMPARE(LambdaSweep::fromJson(LambdaSweep().toJson()).points(), LambdaSweep().points());
    }

    void helpNamesEveryMethodAndKey()
    {
        const QString help = methodSyntaxHelp({MethodDescription::Kind::Reference, MethodDescription::Kind::Merge,
                                               MethodDescription::Kind::DataMerge, MethodDescription::Kind::Adaptive});
        for (const MethodDescription &method : methodCatalogue()) {
            QVERIFY2(help.contains(QStringLiteral("\n  ") + method.name), qPrintable(method.name));
            for (const Parameter &p : method.parameters)
                QVERIFY2(help.contains(QStringLiteral("\n      ") + p.key + QStringLiteral(" ")), qPrintable(p.key));
        }
        QVERIFY(
            help.contains(QStringLiteral("\n      k               Share of each task vector's entries TIES keeps")));
        QVERIFY(help.contains(QStringLiteral("(20 %; 0.1 ... 100 %)")));
    }

    // runMethod and runLambdaSweep measure what the engine measures when called directly.
    void runsGiveTheEnginesNumbers()
    {
        QTemporaryDir dir;
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 3;
        options.imagesPerClass = 3;
        const LoadedPool pool = LoadedPool::load(writeSyntheticPool(dir.filePath(QStringLiteral("pool")), options));
        const EvalOptions eval;
        const PoolEvaluator evaluator(pool, eval);
        MethodRunOptions run;
        run.eval = eval;
        for (const char *text : {"pretrained", "individual", "ties:k=0.5", "dare:seed=3"}) {
            const MethodCall call = MethodCall::parse(QString::fromLatin1(text));
            const MethodOutcome outcome = runMethod(call, pool, run);
            QCOMPARE(outcome.label, call.label());
            QCOMPARE(outcome.accuracy, evaluator.evaluateMethod(toMergeSpec(call)));
        }
        // Kept models are the merge itself.
        MethodRunOptions keep;
        keep.keepModel = true;
        keep.evaluate = false;
        const MethodCall ta = MethodCall::parse(QStringLiteral("task_arithmetic:lambda=0.5"));
        const TensorMap merged = runMethod(ta, pool, keep).merged;
        const TensorMap direct = toMergeSpec(ta).merge(MergeInputs{&pool.pretrained.vision, pool.taskWeights()});
        QCOMPARE(merged.size(), direct.size());
        for (const auto &[name, tensor] : direct)
            QVERIFY2(torch::equal(merged.at(name), tensor), name.c_str());
        QVERIFY_THROWS_EXCEPTION(Error, runMethod(MethodCall(QStringLiteral("individual")), pool, keep));

        // The merges that learn from data: the same model as the engine's own call, evaluated the same.
        for (const char *text : {"regmean:data=test,examples=4", "regmean++:data=test,examples=4,alpha=0.5",
                                 "fisher:data=test,examples=5,batch=2"}) {
            const MethodCall call = MethodCall::parse(QString::fromLatin1(text));
            const CalibrationData data = CalibrationData::open(pool, toCalibrationOptions(call));
            const TensorMap engine = call.method() == QLatin1String("fisher")
                                         ? fisherMerging(pool, data, toFisherMergingOptions(call)).merged
                                         : regMean(pool, data, toRegMeanOptions(call)).merged;
            MethodRunOptions both;
            both.keepModel = true;
            const MethodOutcome outcome = runMethod(call, pool, both);
            QCOMPARE(outcome.label, call.label());
            QVERIFY2(test::sameTensorMaps(outcome.merged, engine), text);
            QCOMPARE(outcome.accuracy, evaluator.evaluateModel(engine));
        }

        LambdaSweep sweep;
        sweep.method = MethodCall::parse(QStringLiteral("ties:merge=mean"));
        sweep.step = 0.5;
        QVector<double> lambdas;
        runLambdaSweep(sweep, pool, eval, [&](double lambda, const QString &label, const QVector<double> &accuracy) {
            lambdas << lambda;
            QCOMPARE(label, sweep.at(lambda).label());
            QCOMPARE(accuracy, evaluator.evaluateMethod(toMergeSpec(sweep.at(lambda))));
        });
        QCOMPARE(lambdas, (QVector<double>{0.0, 0.5, 1.0}));
    }
};

QTEST_GUILESS_MAIN(TestMethodCatalogue)
#include "test_method_catalogue.moc"
