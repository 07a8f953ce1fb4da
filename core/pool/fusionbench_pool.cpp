#include "pool/fusionbench_pool.h"

#include "common/error.h"
#include "io/data_source.h"
#include "io/path_component.h"
#include "io/regular_file.h"
#include "io/zero_shot_spec.h"
#include "pool/yaml_document.h"
#include "text/task_templates.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtCore/QVector>

#include <yaml-cpp/node/impl.h>
#include <yaml-cpp/node/iterator.h>

#include <vector>

namespace wemoe {

namespace {

// FusionBench's name for the pretrained model the task models were fine-tuned from.
const QString kPretrained = QStringLiteral("_pretrained_");
// Bounds on following hydra includes: FusionBench's go two files deep.
constexpr int kMaxIncludeDepth = 8;
constexpr int kMaxIncludedFiles = 256;
// ${a} -> ${b} -> ... chains; FusionBench's have one step.
constexpr int kMaxInterpolationSteps = 8;

// One model of the composed `models`.
struct ModelEntry
{
    QString name;
    YAML::Node value;
    QString origin; // "" for the pool file itself, else " (from <included file>)"
};

// A hydra defaults entry that may bring models: "GROUP@models: OPTION" or a list of options.
struct ModelsInclude
{
    QString text; // as written, for messages
    QString group;
    QStringList options;
    bool optional = false;
};

// A hydra defaults list: where the file's own models go (_self_) among the includes.
struct DefaultsList
{
    QVector<ModelsInclude> before; // includes before _self_
    QVector<ModelsInclude> after;  // includes after it (hydra puts _self_ last when not listed)
    QStringList otherIncludes;     // includes of other packages (datasets, templates): not followed
};

bool isSpecialModelName(const QString &name)
{
    // FusionBench's BaseModelPool: "_name_" entries are special models, not tasks.
    return name.size() > 2 && name.startsWith(QLatin1Char('_')) && name.endsWith(QLatin1Char('_'));
}

QString scalarOrNothing(const std::optional<YAML::Node> &node)
{
    return node && node->IsScalar() ? yamlText(*node) : QString();
}

class PoolImporter
{
public:
    PoolImporter(const QString &source, const YAML::Node &root)
        : m_source(source)
        , m_root(root)
        , m_folder(QFileInfo(source).absoluteDir())
    {
    }

    FusionBenchImport run(const QString &dataFolder)
    {
        if (!m_root.IsMap())
            fail(QStringLiteral("is not a FusionBench model pool (its top level is not a map of settings)"));
        checkPoolKind();
        const std::vector<ModelEntry> models = composedModels();

        QString pretrained;
        QJsonArray tasks;
        QStringList templateless;
        for (const ModelEntry &entry : models) {
            if (entry.name == kPretrained) {
                pretrained = modelName(entry);
                continue;
            }
            if (isSpecialModelName(entry.name)) {
                warn(QStringLiteral("'%1' is a special FusionBench model, not a task; it is left out").arg(entry.name));
                continue;
            }
            // Task names become folder names (collapsed exports) and table rows.
            requirePathComponent(entry.name, m_source, QStringLiteral("task name"));
            QJsonObject zeroShot;
            const QStringList templates = knownTaskTemplates(entry.name);
            if (templates.isEmpty())
                templateless << entry.name;
            else
                zeroShot.insert(QStringLiteral("templates"), QJsonArray::fromStringList(templates));
            QJsonObject task{{QStringLiteral("name"), entry.name},
                             {QStringLiteral("checkpoint"), modelName(entry)},
                             {QStringLiteral("head"), QJsonObject{{QStringLiteral("zero_shot"), zeroShot}}}};
            const QString testData = dataFor(dataFolder, entry.name, QStringLiteral("test"));
            if (!testData.isEmpty())
                task.insert(QStringLiteral("test_data"), testData);
            const QString trainData = dataFor(dataFolder, entry.name, QStringLiteral("train"));
            if (!trainData.isEmpty())
                task.insert(QStringLiteral("train_data"), trainData);
            tasks.append(task);
        }
        if (pretrained.isEmpty())
            fail(QStringLiteral("names no %1 model (FusionBench's name for the pretrained CLIP model the tasks were "
                                "fine-tuned from)")
                     .arg(kPretrained));
        if (tasks.isEmpty())
            warn(QStringLiteral("names no task models besides %1").arg(kPretrained));
        for (const QString &task : templateless)
            warn(QStringLiteral("no prompt templates are known for task '%1'; its zero-shot head uses \"%2\"")
                     .arg(task, defaultZeroShotTemplate()));

        m_import.pool = QJsonObject{{QStringLiteral("name"), QFileInfo(m_source).completeBaseName()},
                                    {QStringLiteral("clip"), pretrained},
                                    {QStringLiteral("pretrained"), pretrained},
                                    {QStringLiteral("tasks"), tasks}};
        return m_import;
    }

private:
    [[noreturn]] void fail(const QString &problem) const { throw Error(m_source, problem); }
    void warn(const QString &warning) { m_import.warnings << QStringLiteral("%1: %2").arg(m_source, warning); }

    // FusionBench has pools of other models (OpenCLIP pickles, language models): refuse them by name.
    void checkPoolKind()
    {
        const QString target = scalarOrNothing(yamlMapValue(m_root, "_target_"));
        if (!target.isEmpty() && target.section(QLatin1Char('.'), -1) != QLatin1String("CLIPVisionModelPool"))
            fail(QStringLiteral("is a FusionBench pool of another kind (_target_: %1), not a CLIP vision model pool "
                                "(fusion_bench.modelpool.CLIPVisionModelPool)")
                     .arg(target));
        const QString type = scalarOrNothing(yamlMapValue(m_root, "type"));
        if (!type.isEmpty() && type != QLatin1String("huggingface_clip_vision"))
            fail(QStringLiteral("is a FusionBench pool of another kind (type: %1), not a CLIP vision model pool "
                                "(type: huggingface_clip_vision)")
                     .arg(type));
        if (scalarOrNothing(yamlMapValue(m_root, "platform")) == QLatin1String("modelscope"))
            warn(QStringLiteral("its models are on ModelScope (platform: modelscope); they are looked for as local "
                                "paths or in the Hugging Face cache"));
    }

    // --- Composing `models`: the hydra includes and the file's own, in hydra's order.

    std::vector<ModelEntry> composedModels()
    {
        const DefaultsList defaults = defaultsList();
        std::vector<ModelEntry> models;
        for (const ModelsInclude &include : defaults.before)
            addIncluded(models, include);
        const std::optional<YAML::Node> own = yamlMapValue(m_root, "models");
        const bool ownMissing = !own || own->IsNull() || (own->IsScalar() && own->Scalar() == "???");
        if (!ownMissing)
            addOwn(models, *own);
        for (const ModelsInclude &include : defaults.after)
            addIncluded(models, include);
        if (models.empty()) {
            QString problem =
                QStringLiteral("names no models (expected models: {%1: NAME, TASK: NAME, ...})").arg(kPretrained);
            if (own && own->IsScalar() && own->Scalar() == "???")
                problem += QStringLiteral("; models is ???, a value FusionBench's command line fills in");
            if (!defaults.otherIncludes.isEmpty())
                problem += QStringLiteral("; its hydra defaults include %1, which this import does not follow")
                               .arg(defaults.otherIncludes.join(QStringLiteral(", ")));
            fail(problem);
        }
        return models;
    }

    DefaultsList defaultsList() const
    {
        DefaultsList list;
        const std::optional<YAML::Node> defaults = yamlMapValue(m_root, "defaults");
        if (!defaults || defaults->IsNull())
            return list;
        if (!defaults->IsSequence())
            fail(QStringLiteral("defaults must be a list (hydra's defaults list)"));
        bool selfSeen = false;
        int index = 0;
        for (const YAML::Node &entry : *defaults) {
            ++index;
            if (entry.IsScalar()) {
                if (entry.Scalar() == "_self_")
                    selfSeen = true;
                else
                    list.otherIncludes << QStringLiteral("'%1'").arg(yamlText(entry));
                continue;
            }
            if (!entry.IsMap() || entry.size() != 1 || !entry.begin()->first.IsScalar())
                fail(QStringLiteral("defaults entry %1 is not a hydra defaults entry (GROUP@PACKAGE: OPTION)")
                         .arg(index));
            QString key = yamlText(entry.begin()->first).trimmed();
            const YAML::Node value = entry.begin()->second;
            ModelsInclude include;
            include.text = QStringLiteral("%1: %2").arg(key, describeOptions(value));
            for (const char *prefix : {"optional ", "override "}) {
                if (key.startsWith(QLatin1String(prefix))) {
                    include.optional = include.optional || QLatin1String(prefix) == QLatin1String("optional ");
                    key = key.mid(qsizetype(qstrlen(prefix))).trimmed();
                }
            }
            if (key.section(QLatin1Char('@'), 1) != QLatin1String("models")) {
                list.otherIncludes << QStringLiteral("'%1'").arg(include.text);
                continue;
            }
            include.group = key.section(QLatin1Char('@'), 0, 0);
            include.options = optionNames(value, include.text);
            (selfSeen ? list.after : list.before).append(include);
        }
        return list;
    }

    static QString describeOptions(const YAML::Node &value)
    {
        if (value.IsScalar())
            return yamlText(value);
        if (!value.IsSequence())
            return QStringLiteral("...");
        QStringList names;
        for (const YAML::Node &item : value)
            names << (item.IsScalar() ? yamlText(item) : QStringLiteral("..."));
        return QStringLiteral("[%1]").arg(names.join(QStringLiteral(", ")));
    }

    QStringList optionNames(const YAML::Node &value, const QString &include) const
    {
        if (value.IsNull())
            return {};
        if (value.IsScalar())
            return {yamlText(value)};
        QStringList names;
        if (value.IsSequence()) {
            for (const YAML::Node &item : value) {
                if (!item.IsScalar())
                    break;
                names << yamlText(item);
            }
            if (names.size() == static_cast<qsizetype>(value.size()))
                return names;
        }
        fail(QStringLiteral("hydra include '%1' must name a config or a list of configs").arg(include));
    }

    // The models of a map (FusionBench 0.2: NAME: MODEL) or a list (0.1: {name: NAME, path: MODEL}).
    void addOwn(std::vector<ModelEntry> &models, const YAML::Node &node)
    {
        if (node.IsMap()) {
            addMap(models, node, QString());
            return;
        }
        if (!node.IsSequence())
            fail(QStringLiteral("models must be a map (NAME: MODEL) or a list of {name: NAME, path: MODEL}"));
        QSet<QString> names;
        int index = 0;
        for (const YAML::Node &item : node) {
            ++index;
            const QString name = scalarOrNothing(yamlMapValue(item, "name")).trimmed();
            if (name.isEmpty())
                fail(QStringLiteral("models entry %1 has no name (expected {name: NAME, path: MODEL})").arg(index));
            if (names.contains(name))
                fail(QStringLiteral("task name '%1' appears twice in models").arg(name));
            names.insert(name);
            const std::optional<YAML::Node> path = yamlMapValue(item, "path");
            merge(models, {name, path ? *path : YAML::Node(), QString()});
        }
    }

    void addMap(std::vector<ModelEntry> &models, const YAML::Node &map, const QString &origin,
                const char *skippedKey = nullptr)
    {
        QSet<QString> names;
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!it->first.IsScalar())
                fail(QStringLiteral("models has a name that is not text%1").arg(origin));
            const QString name = yamlText(it->first).trimmed();
            if (skippedKey && it->first.Scalar() == skippedKey)
                continue;
            if (name == QLatin1String("<<"))
                fail(QStringLiteral("models uses a YAML merge key (<<)%1, which yaml-cpp does not expand; write "
                                    "the models out")
                         .arg(origin));
            if (names.contains(name))
                fail(QStringLiteral("task name '%1' appears twice in models%2").arg(name, origin));
            names.insert(name);
            merge(models, {name, it->second, origin});
        }
    }

    // A later entry of the same name replaces the earlier one in its place, as hydra merges.
    static void merge(std::vector<ModelEntry> &models, const ModelEntry &entry)
    {
        for (ModelEntry &existing : models) {
            if (existing.name == entry.name) {
                // reset(), as yaml-cpp's assignment would write the new value into the old node.
                existing.value.reset(entry.value);
                existing.origin = entry.origin;
                return;
            }
        }
        models.push_back(entry);
    }

    void addIncluded(std::vector<ModelEntry> &models, const ModelsInclude &include)
    {
        QString group = include.group;
        if (group.startsWith(QLatin1Char('/')))
            group = group.mid(1);
        for (const QString &part : group.split(QLatin1Char('/'))) {
            if (!pathComponentProblem(part).isEmpty())
                fail(QStringLiteral("hydra include '%1' names the group '%2', which is not a folder path")
                         .arg(include.text, include.group));
        }
        for (const QString &option : include.options) {
            if (!pathComponentProblem(option).isEmpty())
                fail(QStringLiteral("hydra include '%1' names '%2', which is not a file name")
                         .arg(include.text, option));
            const QString relative = QStringLiteral("%1/%2.yaml").arg(group, option);
            const QString file = findAbove(relative);
            if (file.isEmpty()) {
                if (include.optional)
                    continue;
                fail(QStringLiteral("its models come from the hydra include '%1', which needs %2 from FusionBench's "
                                    "config folder; no folder above this file holds it (the nearest place: %3). Put "
                                    "FusionBench's config folder around this file, or write the models into it "
                                    "(models: {%4: NAME, TASK: NAME, ...})")
                         .arg(include.text, relative, m_folder.filePath(relative), kPretrained));
            }
            addGroupFile(models, file, include.text, 1);
        }
    }

    // Hydra looks for GROUP/OPTION.yaml under its config root; a pool file sits somewhere below that root.
    QString findAbove(const QString &relative) const
    {
        if (!m_folder.exists()) // text that names no real file: nothing is looked for
            return {};
        QDir folder = m_folder;
        do {
            const QString candidate = folder.filePath(relative);
            if (QFileInfo(candidate).isFile())
                return QDir::cleanPath(candidate);
        } while (folder.cdUp());
        return {};
    }

    // A file of a model group (FusionBench's config/model/clip-vit/*.yaml): NAME: MODEL
    // entries, and a defaults list of other files of the same group.
    void addGroupFile(std::vector<ModelEntry> &models, const QString &file, const QString &include, int depth)
    {
        if (depth > kMaxIncludeDepth)
            fail(QStringLiteral("hydra include '%1' nests deeper than %2 files (%3); a loop?")
                     .arg(include, QString::number(kMaxIncludeDepth), file));
        if (++m_filesRead > kMaxIncludedFiles)
            fail(QStringLiteral("hydra include '%1' reads more than %2 files")
                     .arg(include, QString::number(kMaxIncludedFiles)));
        YAML::Node root;
        try {
            root.reset(readYamlFile(file));
        } catch (const Error &error) {
            fail(QStringLiteral("hydra include '%1': %2").arg(include, error.message()));
        }
        if (root.IsNull())
            return;
        if (!root.IsMap())
            fail(QStringLiteral("hydra include '%1': %2 is not a map of models").arg(include, file));
        const QString origin = QStringLiteral(" (from %1)").arg(file);
        const std::optional<YAML::Node> defaults = yamlMapValue(root, "defaults");
        bool selfAdded = false;
        if (defaults && !defaults->IsNull()) {
            if (!defaults->IsSequence())
                fail(QStringLiteral("hydra include '%1': the defaults of %2 must be a list").arg(include, file));
            for (const YAML::Node &entry : *defaults) {
                if (!entry.IsScalar())
                    fail(QStringLiteral("hydra include '%1': %2 has a defaults entry that is not a config of its own "
                                        "group, which this import does not follow")
                             .arg(include, file));
                const QString option = yamlText(entry).trimmed();
                if (option == QLatin1String("_self_")) {
                    addMap(models, root, origin, "defaults");
                    selfAdded = true;
                    continue;
                }
                if (!pathComponentProblem(option).isEmpty())
                    fail(QStringLiteral("hydra include '%1': %2 names '%3', which is not a file name")
                             .arg(include, file, option));
                const QString sibling = QFileInfo(file).dir().filePath(option + QStringLiteral(".yaml"));
                if (!QFileInfo(sibling).isFile())
                    fail(QStringLiteral("hydra include '%1': %2 includes %3, which does not exist")
                             .arg(include, file, sibling));
                addGroupFile(models, QDir::cleanPath(sibling), include, depth + 1);
            }
        }
        if (!selfAdded)
            addMap(models, root, origin, "defaults");
    }

    // --- One model's name.

    QString modelName(const ModelEntry &entry) const
    {
        const QString where = QStringLiteral("model '%1'%2").arg(entry.name, entry.origin);
        const YAML::Node &value = entry.value;
        if (value.IsScalar())
            return resolved(yamlText(value), {QStringLiteral("models"), entry.name}, where);
        if (value.IsMap()) {
            if (const QString adapter = scalarOrNothing(yamlMapValue(value, "peft_name")); !adapter.isEmpty())
                fail(QStringLiteral("%1 is a LoRA adapter (peft_name: %2); merge it into its base model first and "
                                    "name the merged model")
                         .arg(where, adapter));
            // transformers' from_pretrained, FusionBench's load_fft_vision_model_hf, FusionBench 0.1.
            for (const char *key : {"pretrained_model_name_or_path", "model_name", "path"}) {
                const std::optional<YAML::Node> name = yamlMapValue(value, key);
                if (!name)
                    continue;
                if (!name->IsScalar())
                    fail(QStringLiteral("%1 names no model (%2 is not a name)").arg(where, QLatin1String(key)));
                return resolved(yamlText(*name), {QStringLiteral("models"), entry.name, QLatin1String(key)}, where);
            }
            fail(QStringLiteral("%1 names no model (expected a name, or {pretrained_model_name_or_path: NAME})")
                     .arg(where));
        }
        fail(QStringLiteral("%1 names no model (expected a Hugging Face name or a path)").arg(where));
    }

    // A name as written, or what an OmegaConf interpolation ${...} in it refers to.
    QString resolved(QString text, QStringList path, const QString &where) const
    {
        static const QRegularExpression whole(QRegularExpression::anchoredPattern(QStringLiteral("\\$\\{([^{}]*)\\}")));
        for (int step = 0; step <= kMaxInterpolationSteps; ++step) {
            text = text.trimmed();
            if (text.isEmpty())
                fail(QStringLiteral("%1 names no model (an empty name)").arg(where));
            if (text == QLatin1String("???"))
                fail(QStringLiteral("%1 is ??? (a value FusionBench's command line fills in); write the model's "
                                    "name into the file")
                         .arg(where));
            if (!text.contains(QLatin1String("${")))
                return text;
            const QRegularExpressionMatch match = whole.match(text);
            const QString expression = match.captured(1).trimmed();
            if (!match.hasMatch() || expression.contains(QLatin1Char(':')))
                fail(QStringLiteral("%1 is '%2', an OmegaConf interpolation this import cannot resolve (only a whole "
                                    "${key.path} is followed)")
                         .arg(where, text));
            path = interpolationTarget(expression, path, where);
            text = scalarAt(path, expression, where);
        }
        fail(QStringLiteral("%1: its interpolations lead on more than %2 steps; a loop?")
                 .arg(where, QString::number(kMaxInterpolationSteps)));
    }

    // OmegaConf: "${a.b}" is absolute; "${.x}" is beside the value, each further dot one level up.
    QStringList interpolationTarget(const QString &expression, const QStringList &valuePath, const QString &where) const
    {
        qsizetype dots = 0;
        while (dots < expression.size() && expression[dots] == QLatin1Char('.'))
            ++dots;
        const QStringList keys = expression.mid(dots).split(QLatin1Char('.'));
        if (keys.contains(QString()) || dots > valuePath.size())
            fail(QStringLiteral("%1 uses ${%2}, which names no key of the file").arg(where, expression));
        return (dots == 0 ? QStringList() : valuePath.mid(0, valuePath.size() - dots)) + keys;
    }

    QString scalarAt(const QStringList &path, const QString &expression, const QString &where) const
    {
        YAML::Node node = m_root;
        for (const QString &key : path) {
            const std::optional<YAML::Node> child = yamlMapValue(node, key.toStdString().c_str());
            if (!child)
                fail(QStringLiteral("%1 uses ${%2}, but the file has no %3")
                         .arg(where, expression, path.join(QLatin1Char('.'))));
            node.reset(*child); // not `node = *child`: yaml-cpp's assignment writes into the tree
        }
        if (!node.IsScalar())
            fail(QStringLiteral("%1 uses ${%2}, but %3 is not a name")
                     .arg(where, expression, path.join(QLatin1Char('.'))));
        return yamlText(node);
    }

    // --- Test data.

    // A task's split: DATA/TASK/SPLIT when that folder exists, else the
    // dataset FusionBench loads for it (tanganke/TASK) when the Hugging Face
    // cache holds that split. Task names are tried with '-' and '_' swapped
    // too ("stanford-cars" is tanganke/stanford_cars). A missing test split
    // is warned about; a missing training split is not (few methods need one).
    QString dataFor(const QString &dataFolder, const QString &task, const QString &split)
    {
        QStringList spellings{task};
        for (const auto &[from, to] : {std::pair{'-', '_'}, std::pair{'_', '-'}}) {
            const QString other = QString(task).replace(QLatin1Char(from), QLatin1Char(to));
            if (!spellings.contains(other))
                spellings << other;
        }
        QStringList looked;
        for (const QString &spelling : spellings) {
            if (dataFolder.isEmpty())
                break;
            const QString folder = QDir(dataFolder).filePath(spelling + QLatin1Char('/') + split);
            if (QFileInfo(folder).isDir())
                return folder;
            looked << folder;
        }
        for (const QString &spelling : spellings) {
            const QString name = QStringLiteral("tanganke/%1:%2").arg(spelling, split);
            if (!isHubDatasetName(name))
                continue;
            try {
                resolveDataSource(name, m_folder.absolutePath());
                return name;
            } catch (const Error &) {
                looked << name + QStringLiteral(" in the Hugging Face cache");
            }
        }
        if (split == QLatin1String("test"))
            warn(QStringLiteral("task '%1' has no test data (no %2)").arg(task, looked.join(QStringLiteral(" or "))));
        return {};
    }

    QString m_source;
    YAML::Node m_root;
    QDir m_folder;
    int m_filesRead = 0;
    FusionBenchImport m_import;
};

} // namespace

FusionBenchImport importFusionBenchPoolText(const QByteArray &yaml, const QString &source, const QString &dataFolder)
{
    if (!dataFolder.isEmpty() && !QFileInfo(dataFolder).isDir())
        throw Error(dataFolder, QStringLiteral("no such folder (the test data of %1)").arg(source));
    return PoolImporter(source, parseYamlDocument(yaml, source)).run(dataFolder);
}

FusionBenchImport importFusionBenchPool(const QString &yamlPath, const QString &dataFolder)
{
    return importFusionBenchPoolText(readRegularFile(yamlPath, kMaxYamlFileBytes), yamlPath, dataFolder);
}

} // namespace wemoe
