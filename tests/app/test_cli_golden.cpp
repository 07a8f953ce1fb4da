// Every output of the CLI's main jobs, byte for byte: pools it generates,
// accuracy tables, merged and exported checkpoints, WEMoE models before and
// after adaptation, E-WEMoE, Fisher, RegMean and RegMean++ merges,
// AdaMerging, routing captures and collapsed models, each
// compared with the digests recorded in golden/cli-outputs.sha256.
//
// A refactor must leave every digest as it is. A change that means to alter
// outputs records new digests with WEMOE_UPDATE_GOLDEN=1 and says why in its
// commit. Bits depend on the kernels the libraries pick by CPU: OpenBLAS's
// GEMM, ATen's vectorised loops (layer norm, softmax, sums) and oneDNN's
// convolution each have an AVX-512 and an AVX2 version that round
// differently, so the digests of an Intel Xeon with AVX-512 and of an AMD
// EPYC without it disagreed. The test asks all three for their AVX2 kernels
// (Haswell), which every x86-64 CPU with AVX2 and FMA runs the same way, so
// the digests hold on the machines CI draws from whatever their vector width.

#include "cli_process.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QtEndian>
#include <QtTest/QtTest>

#include <map>

namespace {

// The outputs name the files they came from by absolute path; the test's
// folder is replaced by a fixed token so that digests do not depend on where
// the test runs.
const QByteArray kFolderToken = "<golden>";

QByteArray withFolderToken(QByteArray bytes, const QByteArray &folder)
{
    return bytes.replace(folder, kFolderToken);
}

// A safetensors file starts with its header's length, which changes with the
// length of a path in its metadata: the digest covers the header (with the
// token) and the tensor data, so both stay checked byte for byte.
QByteArray digestOf(const QString &path, const QByteArray &folder)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "unreadable";
    const QByteArray bytes = file.readAll();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (path.endsWith(QLatin1String(".safetensors")) && bytes.size() >= 8) {
        const auto headerSize = qFromLittleEndian<quint64>(bytes.constData());
        if (headerSize <= quint64(bytes.size() - 8)) {
            hash.addData(withFolderToken(bytes.mid(8, qsizetype(headerSize)), folder));
            hash.addData(QByteArrayView(bytes).sliced(8 + qsizetype(headerSize)));
            return hash.result().toHex();
        }
    }
    hash.addData(withFolderToken(bytes, folder));
    return hash.result().toHex();
}

using Digests = std::map<QString, QByteArray>;

Digests digestsUnder(const QString &folder)
{
    Digests digests;
    const QByteArray folderBytes = folder.toUtf8();
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        digests[QDir(folder).relativeFilePath(path)] = digestOf(path, folderBytes);
    }
    return digests;
}

Digests readDigests(const QString &path)
{
    Digests digests;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return digests;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const qsizetype space = line.indexOf("  ");
        if (space > 0)
            digests[QString::fromUtf8(line.mid(space + 2))] = line.left(space);
    }
    return digests;
}

bool writeDigests(const QString &path, const Digests &digests)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    for (const auto &[name, digest] : digests)
        file.write(digest + "  " + name.toUtf8() + "\n");
    return file.commit();
}

// The kernels the digests were recorded with, where the CPU can run them.
void pinCpuKernels()
{
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    if (!cpuinfo.open(QIODevice::ReadOnly))
        return;
    QByteArray flags;
    // readAll, not readLine: /proc files report a size of 0.
    for (const QByteArray &line : cpuinfo.readAll().split('\n')) {
        if (line.startsWith("flags")) {
            flags = " " + line.mid(line.indexOf(':') + 1).simplified() + " ";
            break;
        }
    }
    for (const char *needed : {" avx2 ", " fma "}) {
        if (!flags.contains(needed))
            return;
    }
    // Inherited by every `wemoe` the test runs, over any choice of the
    // environment's. Read by OpenBLAS, ATen and oneDNN (two spellings) at load.
    qputenv("OPENBLAS_CORETYPE", "Haswell");
    qputenv("ATEN_CPU_CAPABILITY", "avx2");
    qputenv("ONEDNN_MAX_CPU_ISA", "AVX2");
    qputenv("DNNL_MAX_CPU_ISA", "AVX2");
}

} // namespace

class TestCliGolden : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Runs `wemoe` in the test's folder with relative paths; stdout (the
    // tables) goes to stdoutFile when one is named, stderr (progress) nowhere.
    // Returns an empty string on success, else what went wrong.
    QString wemoe(const QStringList &arguments, const QString &stdoutFile = {})
    {
        const auto result = wemoe::test::runCli(QStringLiteral(WEMOE_CLI), arguments, 240000, m_dir.path());
        if (result.exitCode != 0)
            return arguments.join(QLatin1Char(' ')) + QLatin1String(": ") + result.err;
        if (!stdoutFile.isEmpty()) {
            QFile out(m_dir.filePath(stdoutFile));
            if (!out.open(QIODevice::WriteOnly) || out.write(result.out.toUtf8()) < 0)
                return stdoutFile + QLatin1String(": cannot write");
        }
        return {};
    }

private Q_SLOTS:
    void outputsMatchTheRecordedDigests()
    {
        QVERIFY(m_dir.isValid());
        pinCpuKernels();
        // Computing commands run on two threads: a reduction split another way rounds differently.
        const char *const threads = " --threads 2";
        const std::pair<QString, QString> runs[] = {
            {"pool synth pool --tasks 3 --classes 3 --images-per-class 4", {}},
            {"pool synth tuned --tasks 2 --classes 3 --images-per-class 3 --fine-tune-steps 10 --target-confidence 0.8 "
             "--train-images",
             {}},
            // The merges that learn from the training images, and E-WEMoE.
            {QString("merge tuned/pool.json -m fisher:examples=6,batch=3 -o merged-fisher") + threads, {}},
            {QString("merge tuned/pool.json -m regmean:examples=6 -o merged-regmean") + threads, {}},
            {QString("merge tuned/pool.json -m regmean_plus_plus:examples=6 -o merged-regmean-pp") + threads, {}},
            {QString("adapt tuned/pool.json -m ewemoe:keep=0.2 -o ewemoe.safetensors --steps 3 --batch-size 4")
                 + threads,
             {}},
            {QString("eval pool/pool.json -m pretrained -m individual -m simple_average -m task_arithmetic:lambda=0.4 "
                     "-m ties:k=0.3,merge=mean -m ties:merge=max,per_tensor=true -m dare:p=0.3,then=ties,seed=2 "
                     "-m dare:rescale=false -m adamerging_task:steps=3,batch=4 -m adamerging_layer:steps=3,batch=4 "
                     "-m wemoe:steps=3,batch=4,diversity=1,depth=1,init_lambda=0.25 "
                     "--table eval.json --table eval.md --table eval.csv")
                 + threads,
             "eval.out"},
            {QString("merge pool/pool.json -m ties -o merged-ties --evaluate --table merge.json") + threads, {}},
            {QString("merge pool/pool.json -m dare:p=0.5,then=ta -o merged-dare --dtype bf16") + threads, {}},
            {QString("sweep pool/pool.json -m ties --from 0 --to 1 --step 0.25 --table sweep.csv") + threads,
             "sweep.out"},
            {QString("upscale pool/pool.json -o up.safetensors --router-depth 1 --init-lambda 0.2") + threads, {}},
            {QString("adapt pool/pool.json -o adapted.safetensors --steps 4 --batch-size 4 --curve curve.csv")
                 + threads,
             {}},
            {QString("adapt pool/pool.json -m adamerging_layer -o ada --steps 3 --batch-size 4 --curve ada-curve.csv")
                 + threads,
             {}},
            {QString("adapt pool/pool.json -m adamerging_task -o ada-task --steps 3 --batch-size 4") + threads, {}},
            {QString("eval pool/pool.json -m individual --wemoe adapted.safetensors --wemoe up.safetensors "
                     "--routing batch --capture cap --table wemoe.json")
                 + threads,
             "wemoe.out"},
            {QString("eval pool/pool.json --wemoe adapted.safetensors --capture cap-sample") + threads, {}},
            {QString("collapse pool/pool.json --wemoe adapted.safetensors -o collapsed --table collapse.json")
                 + threads,
             {}},
            {"export merged-ties -o exported --dtype f16 --shard-size 20KB", {}},
        };
        for (const auto &[command, stdoutFile] : runs) {
            const QString failure = wemoe(command.split(QLatin1Char(' ')), stdoutFile);
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
        }

        const Digests actual = digestsUnder(m_dir.path());
        const QString goldenPath = QStringLiteral(WEMOE_GOLDEN_DIGESTS);
        if (qEnvironmentVariableIsSet("WEMOE_UPDATE_GOLDEN")) {
            QVERIFY2(writeDigests(goldenPath, actual), qPrintable(goldenPath));
            qInfo("recorded %zu digests in %s", actual.size(), qPrintable(goldenPath));
            return;
        }
        const Digests expected = readDigests(goldenPath);
        QVERIFY2(!expected.empty(), qPrintable(goldenPath + QLatin1String(": no digests recorded")));
        QStringList differences;
        for (const auto &[name, digest] : expected) {
            const auto found = actual.find(name);
            if (found == actual.end())
                differences << name + QLatin1String(": no longer written");
            else if (found->second != digest)
                differences << name + QLatin1String(": bytes differ");
        }
        for (const auto &[name, digest] : actual)
            if (expected.find(name) == expected.end())
                differences << name + QLatin1String(": new output");
        QVERIFY2(differences.isEmpty(),
                 qPrintable(QString::number(differences.size()) + QLatin1String(" of ")
                            + QString::number(expected.size()) + QLatin1String(" outputs changed:\n  ")
                            + differences.join(QLatin1String("\n  "))));
    }
};

QTEST_GUILESS_MAIN(TestCliGolden)
#include "test_cli_golden.moc"
