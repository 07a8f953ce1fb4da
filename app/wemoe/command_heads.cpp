// wemoe heads: a zero-shot classification head from CLIP's text tower.

#include "cli_support.h"
#include "commands.h"

#include "common/error.h"
#include "data/open_dataset.h"
#include "io/checkpoint.h"
#include "io/data_source.h"
#include "io/hub_cache.h"
#include "io/zero_shot_spec.h"
#include "text/task_templates.h"
#include "text/zero_shot_head.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

namespace wemoe::cli {

namespace {

// --classes: a text file (one per line), test data (an image folder's class
// folders, Parquet files' ClassLabel names, ORG/NAME:SPLIT), or a
// comma-separated list.
void takeClasses(ZeroShotHeadSpec &spec, const QString &value)
{
    const QFileInfo info(value);
    if (info.isDir() || namesParquetData(value, QDir::currentPath())) {
        const DataSource source = resolveDataSource(value, QDir::currentPath());
        const QStringList names = classNamesOf(source);
        if (names.isEmpty())
            throw Error(value, QStringLiteral("names no classes (no Hugging Face ClassLabel feature)"));
        takeClassNames(spec, names);
        return;
    }
    if (info.isFile()) {
        spec.classNames = readListFile(value);
    } else {
        for (const QString &name : value.split(QLatin1Char(',')))
            spec.classNames << name.trimmed();
    }
    spec.promptNames = spec.classNames;
}

} // namespace

int runHeads(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("clip"),
                                 QStringLiteral("The CLIPModel (text and vision towers): a folder, a weights file, "
                                                "or a Hugging Face cache name such as openai/clip-vit-base-patch32."));
    parser.addOption({QStringLiteral("classes"),
                      QStringLiteral("The class names: a text file (one per line), test data (an image folder's "
                                     "class folders, '_' read as a space; Parquet files' or ORG/NAME:SPLIT's "
                                     "ClassLabel names) or a comma-separated list."),
                      QStringLiteral("classes")});
    parser.addOption({QStringLiteral("template"),
                      QStringLiteral("A prompt template with {} for the class name; repeat for several "
                                     "(default: \"%1\").")
                          .arg(defaultZeroShotTemplate()),
                      QStringLiteral("text")});
    parser.addOption({QStringLiteral("templates"), QStringLiteral("Prompt templates from a text file, one per line."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("task-templates"),
                      QStringLiteral("The published templates of a classic task (%1).")
                          .arg(knownTemplateTasks().join(QStringLiteral(", "))),
                      QStringLiteral("task")});
    parser.addOption({QStringLiteral("projection"),
                      QStringLiteral("include (default): the head carries CLIP's visual_projection, for vision "
                                     "towers without one (fine-tuned CLIPVisionModels); omit: for models that "
                                     "project themselves."),
                      QStringLiteral("include|omit"), QStringLiteral("include")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("The head file to write (.safetensors)."),
                      QStringLiteral("head")});
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("heads"),
                        QStringLiteral("Build a zero-shot classification head: every class name put into every "
                                       "template, encoded by CLIP's text tower, averaged; the head scores an image "
                                       "by exp(logit_scale) x cosine with its projected features."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("heads: expected one CLIP model (see wemoe heads --help)"));
    if (!parser.isSet(QStringLiteral("classes")))
        throw Error(QStringLiteral("heads: --classes is required (a file, an image folder or a list)"));
    if (!parser.isSet(QStringLiteral("output")))
        throw Error(QStringLiteral("heads: -o HEAD is required"));
    const QString projection = parser.value(QStringLiteral("projection"));
    if (projection != QLatin1String("include") && projection != QLatin1String("omit"))
        throw Error(QStringLiteral("heads: --projection must be include or omit, not '%1'").arg(projection));

    ZeroShotHeadSpec spec;
    takeClasses(spec, parser.value(QStringLiteral("classes")));
    spec.templates = parser.values(QStringLiteral("template"));
    if (parser.isSet(QStringLiteral("templates")))
        spec.templates += readListFile(parser.value(QStringLiteral("templates")));
    if (parser.isSet(QStringLiteral("task-templates"))) {
        const QString task = parser.value(QStringLiteral("task-templates"));
        const QStringList known = knownTaskTemplates(task);
        if (known.isEmpty())
            throw Error(QStringLiteral("heads: no templates are known for the task '%1' (known: %2)")
                            .arg(task, knownTemplateTasks().join(QStringLiteral(", "))));
        spec.templates += known;
    }
    if (spec.templates.isEmpty())
        spec.templates << defaultZeroShotTemplate();
    const QString problem = zeroShotSpecProblem(spec);
    if (!problem.isEmpty())
        throw Error(QStringLiteral("heads: %1").arg(problem));

    const ComputeSettings compute = applyComputeOptions(parser);
    const QString clipPath = resolveModelLocation(parser.positionalArguments().first(), QDir::currentPath());
    const Checkpoint clip = Checkpoint::load(clipPath);
    const ZeroShotHeadBuilder builder(clip, compute.device);
    const ClassificationHead head = builder.build(spec, projection == QLatin1String("include"), QStringLiteral("heads"),
                                                  consoleContext(QStringLiteral("encode")));
    finishProgress();
    const QString output = parser.value(QStringLiteral("output"));
    head.save(output);
    err() << "head: " << head.numClasses() << " classes x " << spec.templates.size() << " templates, "
          << head.weight.size(1) << "-dim text vectors, logit scale " << head.logitScale
          << (head.projection.defined() ? QStringLiteral(", with visual_projection") : QString()) << " -> " << output
          << "\n";
    err().flush();
    return 0;
}

} // namespace wemoe::cli
