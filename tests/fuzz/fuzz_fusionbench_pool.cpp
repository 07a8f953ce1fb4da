// libFuzzer target: a FusionBench model-pool file (YAML), as
// importFusionBenchPoolText reads it. Its source names a folder that does not
// exist, so no hydra include is looked for and the run depends on the input alone.

#include "common/error.h"
#include "io/path_component.h"
#include "pool/fusionbench_pool.h"

#include <QtCore/QJsonArray>
#include <QtCore/QSet>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    try {
        const wemoe::FusionBenchImport imported = wemoe::importFusionBenchPoolText(
            text, QStringLiteral("/nonexistent-wemoe-fuzz/modelpool.yaml"));
        // Whatever is accepted is a pool the pool reader can take: a pretrained
        // model, and tasks with unique names usable as folder names, a model
        // each and templates that each have a place for the class name.
        const QJsonObject &pool = imported.pool;
        if (pool.value(QStringLiteral("pretrained")).toString().isEmpty()
            || pool.value(QStringLiteral("clip")) != pool.value(QStringLiteral("pretrained")))
            std::abort();
        QSet<QString> names;
        for (const QJsonValue &value : pool.value(QStringLiteral("tasks")).toArray()) {
            const QJsonObject task = value.toObject();
            const QString name = task.value(QStringLiteral("name")).toString();
            if (!wemoe::pathComponentProblem(name).isEmpty() || names.contains(name)
                || task.value(QStringLiteral("checkpoint")).toString().isEmpty()
                || task.contains(QStringLiteral("test_data")))
                std::abort();
            names.insert(name);
            const QJsonObject zeroShot =
                task.value(QStringLiteral("head")).toObject().value(QStringLiteral("zero_shot")).toObject();
            for (const QJsonValue &templateText : zeroShot.value(QStringLiteral("templates")).toArray()) {
                if (!templateText.toString().contains(QLatin1String("{}")))
                    std::abort();
            }
        }
    } catch (const wemoe::Error &) {
    }
    return 0;
}
