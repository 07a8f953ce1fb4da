#include "memory_probe.h"

#include "adamerging_memory_step.h"
#include "adaptation_step.h"
#include "bench_harness.h"
#include "naive_per_sample.h"

#include "common/error.h"
#include "model/clip_vision_model.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>

#include <torch/torch.h>

#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace wemoe::bench {

namespace {

const QString kReportPrefix = QStringLiteral("memory-report ");

// A "VmRSS:   123 kB" field of /proc/self/status in bytes, -1 when absent.
int64_t procStatusBytes(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const auto &line : status.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong() * 1024;
    return -1;
}

// Starts a new peak: VmHWM becomes the current VmRSS (Linux ≥ 4.0).
bool resetPeakResident()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    return clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
}

// Returns freed heap pages to the system, so "resident after building" counts
// what the model holds, not the allocator's free lists.
void releaseFreeHeap()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

QString gigabytes(int64_t bytes)
{
    return QString::number(double(bytes) / 1e9, 'f', 2);
}

// The child's one line for the parent: "memory-report {json}".
void printReport(const QString &variant, int64_t batch, int64_t baseline, int64_t afterBuild, int64_t peak,
                 int64_t taskVectors, int64_t taskVectorsFromShapes, double stepSeconds, int steps, bool peakReset,
                 QTextStream &out)
{
    QJsonObject json{{QStringLiteral("variant"), variant},
                     {QStringLiteral("batch"), double(batch)},
                     {QStringLiteral("baseline"), double(baseline)},
                     {QStringLiteral("model"), double(afterBuild - baseline)},
                     {QStringLiteral("peak"), double(peak - baseline)},
                     {QStringLiteral("taskVectors"), double(taskVectors)},
                     {QStringLiteral("taskVectorsFromShapes"), double(taskVectorsFromShapes)},
                     {QStringLiteral("stepSeconds"), stepSeconds},
                     {QStringLiteral("steps"), steps},
                     {QStringLiteral("peakReset"), peakReset}};
    out << kReportPrefix << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
    out.flush();
}

// AdaMerging's steps: T = config.experts tasks, each with a batch of `batch` images.
int runAdaMergingMemoryChild(const QString &variant, const RandomModelConfig &config, int64_t batch, int steps,
                             int64_t baseline, QTextStream &out)
{
    std::fprintf(stderr, "memory child '%s': holding θ0 and %d task vectors...\n", qPrintable(variant), config.experts);
    AdaMergingMemoryStep step(config.vit, config.experts, batch, config.seed,
                              variant == QString::fromUtf8(kMemoryAdaMergingJoint));
    releaseFreeHeap();
    const int64_t afterBuild = procStatusBytes("VmRSS");
    const bool peakReset = resetPeakResident();
    std::fprintf(stderr, "memory child '%s': %d step(s), %d tasks at batch %lld...\n", qPrintable(variant), steps,
                 config.experts, static_cast<long long>(batch));
    const auto timing = timeCalls([&] { step.run(); }, TimingOptions{0, steps});
    const int64_t peak = procStatusBytes("VmHWM");
    printReport(variant, batch, baseline, afterBuild, peak, step.taskVectorBytesHeld(),
                step.taskVectorBytesFromShapes(), timing.median, steps, peakReset, out);
    return 0;
}

} // namespace

QStringList memoryVariants(bool withNaive, bool withAdaMerging)
{
    QStringList variants{QString::fromUtf8(kMemoryOursFp32), QString::fromUtf8(kMemoryOursBf16)};
    if (withNaive)
        variants << QString::fromUtf8(kMemoryNaiveFp32);
    if (withAdaMerging)
        variants << QString::fromUtf8(kMemoryAdaMergingJoint) << QString::fromUtf8(kMemoryAdaMergingByTask);
    return variants;
}

int runMemoryChild(const QString &variant, RandomModelConfig config, int64_t batch, int steps, QTextStream &out)
{
    if (!memoryVariants(true, true).contains(variant))
        throw Error(QStringLiteral("--memory-child: unknown configuration '%1'").arg(variant));
    // Thread pools and BLAS buffers exist before the baseline is read.
    (void)torch::mm(torch::ones({256, 256}), torch::ones({256, 256})).sum().item<float>();
    releaseFreeHeap();
    const int64_t baseline = procStatusBytes("VmRSS");
    if (variant.startsWith(QLatin1String("AdaMerging")))
        return runAdaMergingMemoryChild(variant, config, batch, steps, baseline, out);

    config.bf16TaskVectors = variant == QString::fromUtf8(kMemoryOursBf16);
    const bool naive = variant == QString::fromUtf8(kMemoryNaiveFp32);
    std::fprintf(stderr, "memory child '%s': building the model...\n", qPrintable(variant));
    auto model = randomUpscaledModel(config);
    const auto head = randomHead(model.featureDim(), 10, config.seed + 3000);
    auto generator = at::detail::createCPUGenerator(config.seed + 2000 + uint64_t(batch));
    const auto images = at::normal(
        0.0, 1.0, {batch, config.vit.numChannels, config.vit.imageSize, config.vit.imageSize}, generator);
    std::unique_ptr<ClipVisionModel> naiveModel;
    AdaptationStep::Encoder encoder = [&model](const torch::Tensor &x) {
        return model.encode(x, RoutingMode::PerSample);
    };
    if (naive) {
        naiveModel = std::make_unique<ClipVisionModel>(config.vit, model.mergedDense(), torch::kCPU);
        naiveModel->setMlpOverride(
            [&model](int layer, const torch::Tensor &h) { return naiveReferenceMlp(*model.mlp(layer), h); });
        encoder = [&naiveModel](const torch::Tensor &x) { return naiveModel->encode(x); };
    }
    AdaptationStep step(model.routerParameters(), head, encoder);
    releaseFreeHeap();
    const int64_t afterBuild = procStatusBytes("VmRSS");

    const bool peakReset = resetPeakResident();
    std::fprintf(stderr, "memory child '%s': %d adaptation step(s) at batch %lld...\n", qPrintable(variant), steps,
                 static_cast<long long>(batch));
    const auto timing = timeCalls([&] { step.run(images); }, TimingOptions{0, steps});
    const int64_t peak = procStatusBytes("VmHWM");

    printReport(variant, batch, baseline, afterBuild, peak, taskVectorBytesHeld(model),
                taskVectorBytesFromShapes(config), timing.median, steps, peakReset, out);
    return 0;
}

std::vector<MemoryReport> measureMemoryInChildren(const QStringList &variants, const QStringList &childArguments)
{
    std::vector<MemoryReport> reports;
    for (const auto &variant : variants) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    QStringList{QStringLiteral("--memory-child"), variant} + childArguments);
        if (!child.waitForStarted() || !child.waitForFinished(-1))
            throw Error(QStringLiteral("memory child '%1'").arg(variant), child.errorString());
        if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
            throw Error(QStringLiteral("memory child '%1'").arg(variant),
                        QStringLiteral("exited with code %1 (out of memory?)").arg(child.exitCode()));
        const auto output = QString::fromUtf8(child.readAllStandardOutput());
        bool found = false;
        for (const auto &line : output.split(QLatin1Char('\n'))) {
            if (!line.startsWith(kReportPrefix))
                continue;
            const auto json = QJsonDocument::fromJson(line.mid(kReportPrefix.size()).toUtf8()).object();
            MemoryReport r;
            r.variant = json.value(QStringLiteral("variant")).toString();
            r.batch = json.value(QStringLiteral("batch")).toInteger();
            r.baselineBytes = json.value(QStringLiteral("baseline")).toInteger();
            r.modelBytes = json.value(QStringLiteral("model")).toInteger();
            r.peakBytes = json.value(QStringLiteral("peak")).toInteger();
            r.taskVectorBytes = json.value(QStringLiteral("taskVectors")).toInteger();
            r.taskVectorShapeBytes = json.value(QStringLiteral("taskVectorsFromShapes")).toInteger();
            r.stepSeconds = json.value(QStringLiteral("stepSeconds")).toDouble();
            r.steps = json.value(QStringLiteral("steps")).toInt();
            r.peakReset = json.value(QStringLiteral("peakReset")).toBool();
            reports.push_back(r);
            found = true;
        }
        if (!found)
            throw Error(QStringLiteral("memory child '%1'").arg(variant), QStringLiteral("printed no memory report"));
    }
    return reports;
}

void printMemoryMarkdown(const std::vector<MemoryReport> &reports, QTextStream &out)
{
    out << "| adaptation | batch | τ held GB | τ from shapes GB | model resident GB | peak resident GB | peak − model "
           "GB "
           "| s / step | steps |\n"
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const auto &r : reports)
        out << "| " << r.variant << " | " << r.batch << " | " << gigabytes(r.taskVectorBytes) << " | "
            << gigabytes(r.taskVectorShapeBytes) << " | " << gigabytes(r.modelBytes) << " | " << gigabytes(r.peakBytes)
            << (r.peakReset ? "" : " (incl. build)") << " | " << gigabytes(r.peakBytes - r.modelBytes) << " | "
            << QString::number(r.stepSeconds, 'f', 2) << " | " << r.steps << " |\n";
    if (!reports.empty())
        out << "\nResident figures are minus the child's baseline before building (libraries, thread pools: "
            << gigabytes(reports.front().baselineBytes) << " GB); GB = 10⁹ bytes.\n";
}

} // namespace wemoe::bench
