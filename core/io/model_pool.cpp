#include "io/model_pool.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/data_source.h"
#include "io/hub_cache.h"
#include "io/json_file.h"
#include "io/path_component.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>

namespace wemoe {

namespace {

enum class PathKind { Folder, File, Either };

constexpr double kMaxMean = 100.0;
constexpr double kMinStd = 1e-4;
constexpr double kMaxStd = 100.0;

class PoolReader
{
public:
    explicit PoolReader(const QString &poolFile)
        : m_poolFile(poolFile)
        , m_base(QFileInfo(poolFile).absoluteDir())
    {
    }

    [[noreturn]] void fail(const QString &problem) const { throw Error(m_poolFile, problem); }

    QString requiredString(const QJsonObject &object, const char *key, const QString &where) const
    {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined())
            fail(QCoreApplication::translate("wemoe::Error", "%1lacks \"%2\"").arg(where, QLatin1String(key)));
        if (!value.isString() || value.toString().isEmpty())
            fail(QCoreApplication::translate("wemoe::Error", "%1\"%2\" must be a non-empty string")
                     .arg(where, QLatin1String(key)));
        return value.toString();
    }

    // Resolves a path against the pool file's folder and requires it to exist.
    QString existingPath(const QJsonObject &object, const char *key, PathKind kind, const QString &where) const
    {
        const QString written = requiredString(object, key, where);
        const QString absolute = QDir::cleanPath(m_base.absoluteFilePath(written));
        const QFileInfo info(absolute);
        const QString shown = written == absolute ? absolute : QStringLiteral("'%1' (%2)").arg(written, absolute);
        if (!info.exists())
            fail(QCoreApplication::translate("wemoe::Error", "%1%2 %3 does not exist")
                     .arg(where, QLatin1String(key), shown));
        if (kind == PathKind::Folder && !info.isDir())
            fail(QCoreApplication::translate("wemoe::Error", "%1%2 %3 is not a folder")
                     .arg(where, QLatin1String(key), shown));
        if (kind == PathKind::File && !info.isFile())
            fail(QCoreApplication::translate("wemoe::Error", "%1%2 %3 is not a file")
                     .arg(where, QLatin1String(key), shown));
        return absolute;
    }

    // Test or training data: a path (folder, .parquet), a list of .parquet
    // files, or a Hugging Face dataset split (ORG/NAME:SPLIT).
    DataSource dataSource(const QJsonObject &object, const char *key, const QString &where) const
    {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined())
            fail(QCoreApplication::translate("wemoe::Error", "%1lacks \"%2\"").arg(where, QLatin1String(key)));
        QStringList files;
        for (const QJsonValue &item : value.toArray())
            files << item.toString();
        const bool isList = value.isArray() && !files.isEmpty() && !files.contains(QString());
        if (!(value.isString() && !value.toString().isEmpty()) && !isList)
            fail(QCoreApplication::translate("wemoe::Error",
                                             "%1\"%2\" must be a path, ORG/NAME:SPLIT or a list of .parquet files")
                     .arg(where, QLatin1String(key)));
        try {
            return value.isString() ? resolveDataSource(value.toString(), m_base.absolutePath())
                                    : resolveDataSource(files, m_base.absolutePath());
        } catch (const Error &error) {
            fail(QCoreApplication::translate("wemoe::Error", "%1%2: %3")
                     .arg(where, QLatin1String(key), error.message()));
        }
    }

    // A model: a path against the pool file's folder, or a Hugging Face cache name.
    QString modelLocation(const QString &written, const char *key, const QString &where) const
    {
        try {
            return resolveModelLocation(written, m_base.absolutePath());
        } catch (const Error &error) {
            fail(QCoreApplication::translate("wemoe::Error", "%1%2: %3")
                     .arg(where, QLatin1String(key), error.message()));
        }
    }

    // "classes" or "templates": an array of strings, or a text file of one per line.
    QStringList stringList(const QJsonValue &value, const QString &what, const QString &where) const
    {
        if (value.isString() && !value.toString().isEmpty()) {
            try {
                return readListFile(QDir::cleanPath(m_base.absoluteFilePath(value.toString())));
            } catch (const Error &error) {
                fail(QCoreApplication::translate("wemoe::Error", "%1%2: %3").arg(where, what, error.message()));
            }
        }
        QStringList items;
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString())
                fail(QCoreApplication::translate("wemoe::Error", "%1%2 must hold strings").arg(where, what));
            items << item.toString();
        }
        if (!value.isArray())
            fail(QCoreApplication::translate(
                     "wemoe::Error", "%1%2 must be an array of strings or the name of a text file (one per line)")
                     .arg(where, what));
        return items;
    }

    ZeroShotHeadSpec zeroShotHead(const QJsonObject &head, const DataSource &testData, const QString &where) const
    {
        const QJsonValue value = head.value(QLatin1String("zero_shot"));
        if (head.size() != 1 || !value.isObject())
            fail(QCoreApplication::translate(
                     "wemoe::Error",
                     "%1head must be a file name or {\"zero_shot\": {\"classes\": ..., \"templates\": ...}}")
                     .arg(where));
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() != QLatin1String("classes") && it.key() != QLatin1String("templates"))
                fail(QCoreApplication::translate("wemoe::Error",
                                                 "%1zero_shot has an unknown key \"%2\" (known: classes, templates)")
                         .arg(where, it.key()));
        }
        ZeroShotHeadSpec spec;
        spec.written = object;
        if (object.contains(QLatin1String("classes"))) {
            spec.classNames = stringList(object.value(QLatin1String("classes")), QStringLiteral("zero_shot classes"),
                                         where);
            spec.promptNames = spec.classNames;
        } else if (!testData.isParquet()) {
            try {
                takeClassesFromFolder(spec, testData.paths.first());
            } catch (const Error &error) {
                fail(QCoreApplication::translate("wemoe::Error", "%1zero_shot: %2").arg(where, error.message()));
            }
        } // Parquet files name their classes in their metadata, read when the pool is opened.
        spec.templates = object.contains(QLatin1String("templates")) ? stringList(
                             object.value(QLatin1String("templates")), QStringLiteral("zero_shot templates"), where)
                                                                     : QStringList{defaultZeroShotTemplate()};
        const QString problem = zeroShotSpecProblem(spec);
        if (!problem.isEmpty() && (!spec.classNames.isEmpty() || !testData.isParquet()))
            fail(QCoreApplication::translate("wemoe::Error", "%1zero_shot: %2").arg(where, problem));
        return spec;
    }

    std::array<float, 3> triple(const QJsonObject &object, const char *key, bool positive) const
    {
        const QJsonValue value = object.value(QLatin1String(key));
        const QJsonArray array = value.toArray();
        if (!value.isArray() || array.size() != 3)
            fail(QCoreApplication::translate("wemoe::Error", "normalization \"%1\" must be an array of 3 numbers")
                     .arg(QLatin1String(key)));
        std::array<float, 3> out{};
        for (int i = 0; i < 3; ++i) {
            // Images are scaled to [0, 1] before normalising: a mean beyond ±100
            // or a std outside [1e-4, 100] (1e-300 would become 0 as a float and
            // divide by zero) is a mistake, not a choice.
            const double v = array[i].toDouble();
            const bool inRange = positive ? (v >= kMinStd && v <= kMaxStd) : (v >= -kMaxMean && v <= kMaxMean);
            if (!array[i].isDouble() || !inRange)
                fail(QCoreApplication::translate("wemoe::Error",
                                                 "normalization \"%1\" must be an array of 3 numbers in [%2, %3]")
                         .arg(QLatin1String(key))
                         .arg(positive ? kMinStd : -kMaxMean)
                         .arg(positive ? kMaxStd : kMaxMean));
            out[static_cast<size_t>(i)] = static_cast<float>(v);
        }
        return out;
    }

private:
    QString m_poolFile;
    QDir m_base;
};

} // namespace

ModelPool ModelPool::load(const QString &poolFile)
{
    return fromJson(readJsonObjectFile(poolFile), poolFile);
}

ModelPool ModelPool::fromJson(const QJsonObject &json, const QString &poolFile)
{
    const PoolReader reader(poolFile);

    ModelPool pool;
    pool.path = QFileInfo(poolFile).absoluteFilePath();
    const QJsonValue name = json.value(QLatin1String("name"));
    if (!name.isUndefined() && !name.isString())
        reader.fail(QCoreApplication::translate("wemoe::Error", "\"name\" must be a string"));
    pool.name = name.isString() ? name.toString() : QFileInfo(poolFile).completeBaseName();
    pool.pretrainedSource = reader.requiredString(json, "pretrained", QString());
    pool.pretrained = reader.modelLocation(pool.pretrainedSource, "pretrained", QString());
    if (json.contains(QLatin1String("clip"))) {
        pool.clipSource = reader.requiredString(json, "clip", QString());
        pool.clip = reader.modelLocation(pool.clipSource, "clip", QString());
    }

    const QJsonValue normalization = json.value(QLatin1String("normalization"));
    if (!normalization.isUndefined()) {
        if (!normalization.isObject())
            reader.fail(QCoreApplication::translate("wemoe::Error",
                                                    "\"normalization\" must be an object with \"mean\" and \"std\""));
        pool.normalization.mean = reader.triple(normalization.toObject(), "mean", false);
        pool.normalization.std = reader.triple(normalization.toObject(), "std", true);
    }

    const QJsonValue tasks = json.value(QLatin1String("tasks"));
    if (!tasks.isArray())
        reader.fail(QCoreApplication::translate("wemoe::Error", "\"tasks\" must be an array of tasks"));
    QSet<QString> names;
    int index = 0;
    for (const QJsonValue &value : tasks.toArray()) {
        ++index;
        if (!value.isObject())
            reader.fail(QCoreApplication::translate("wemoe::Error", "task %1 is not an object").arg(index));
        const QJsonObject object = value.toObject();
        PoolTask task;
        task.name = reader.requiredString(object, "name", QStringLiteral("task %1 ").arg(index));
        // Task names become folder names (collapsed exports) and table rows.
        requirePathComponent(task.name, poolFile, QStringLiteral("task %1: name").arg(index));
        const QString where = QStringLiteral("task '%1': ").arg(task.name);
        if (names.contains(task.name))
            reader.fail(QCoreApplication::translate("wemoe::Error", "task name '%1' appears twice").arg(task.name));
        names.insert(task.name);
        task.checkpointSource = reader.requiredString(object, "checkpoint", where);
        task.checkpoint = reader.modelLocation(task.checkpointSource, "checkpoint", where);
        task.testData = reader.dataSource(object, "test_data", where);
        if (object.contains(QLatin1String("train_data")))
            task.trainData = reader.dataSource(object, "train_data", where);
        if (object.value(QLatin1String("head")).isObject())
            task.zeroShot = reader.zeroShotHead(object.value(QLatin1String("head")).toObject(), task.testData, where);
        else
            task.head = reader.existingPath(object, "head", PathKind::File, where);
        pool.tasks.append(task);
    }
    return pool;
}

void ModelPool::save(const QString &poolFile) const
{
    const QDir base = QFileInfo(poolFile).absoluteDir();
    const auto relative = [&](const QString &path) { return base.relativeFilePath(path); };
    const auto array = [](const std::array<float, 3> &values) {
        return QJsonArray{static_cast<double>(values[0]), static_cast<double>(values[1]),
                          static_cast<double>(values[2])};
    };

    QJsonObject json;
    if (!name.isEmpty())
        json.insert(QStringLiteral("name"), name);
    // Hub names stay names; everything else is written relative to the new file.
    const QDir originalBase = QFileInfo(path).absoluteDir();
    const auto written = [&](const QString &source, const QString &resolved) {
        const bool fromCache = isHubName(source) && QDir::cleanPath(originalBase.absoluteFilePath(source)) != resolved;
        return fromCache ? source : relative(resolved);
    };
    // A zero-shot head's list files move with the pool too.
    const auto zeroShotWritten = [&](QJsonObject object) {
        for (const char *key : {"classes", "templates"}) {
            const QJsonValue value = object.value(QLatin1String(key));
            if (value.isString())
                object.insert(QLatin1String(key), relative(originalBase.absoluteFilePath(value.toString())));
        }
        return object;
    };
    // Data: a hub split stays a name; paths move with the pool; a list stays a list.
    const auto dataWritten = [&](const DataSource &source) -> QJsonValue {
        if (!source.hubName.isEmpty())
            return source.hubName;
        QJsonArray entries;
        for (const QString &entry : source.written)
            entries.append(relative(originalBase.absoluteFilePath(entry)));
        if (entries.size() == 1)
            return entries.first();
        return entries;
    };
    json.insert(QStringLiteral("pretrained"), written(pretrainedSource, pretrained));
    if (!clip.isEmpty())
        json.insert(QStringLiteral("clip"), written(clipSource, clip));
    json.insert(QStringLiteral("normalization"), QJsonObject{{QStringLiteral("mean"), array(normalization.mean)},
                                                             {QStringLiteral("std"), array(normalization.std)}});
    QJsonArray taskArray;
    for (const PoolTask &task : tasks) {
        const QJsonValue head = task.zeroShot ? QJsonValue(
                                    QJsonObject{{QStringLiteral("zero_shot"), zeroShotWritten(task.zeroShot->written)}})
                                              : QJsonValue(relative(task.head));
        QJsonObject object{
            {QStringLiteral("name"), task.name},
            {QStringLiteral("checkpoint"), written(task.checkpointSource, task.checkpoint)},
            {QStringLiteral("head"), head},
            {QStringLiteral("test_data"), dataWritten(task.testData)},
        };
        if (!task.trainData.isEmpty())
            object.insert(QStringLiteral("train_data"), dataWritten(task.trainData));
        taskArray.append(object);
    }
    json.insert(QStringLiteral("tasks"), taskArray);

    const QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Indented);
    writeFileAtomically(poolFile, text);
}

bool ModelPool::hasZeroShotHeads() const
{
    for (const PoolTask &task : tasks) {
        if (task.zeroShot)
            return true;
    }
    return false;
}

int ModelPool::taskIndex(const QString &taskName) const
{
    for (int i = 0; i < tasks.size(); ++i) {
        if (tasks[i].name == taskName)
            return i;
    }
    return -1;
}

} // namespace wemoe
