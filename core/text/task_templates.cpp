#include "text/task_templates.h"

#include <vector>

namespace wemoe {

namespace {

struct TaskTemplates
{
    std::vector<const char *> names; // FusionBench's spelling first
    std::vector<const char *> templates;
};

// Prompt texts, written out as published (CLIP's prompt lists, as FusionBench
// copies them), with Python's {c} written {}.
const std::vector<TaskTemplates> &taskTemplates()
{
    static const std::vector<TaskTemplates> table = [] {
        const std::vector<const char *> kPhotoOfAOrThe{
            "a photo of a {}.",
            "a photo of the {}.",
        };

        const std::vector<const char *> kNumber{
            "a photo of the number: \"{}\".",
        };

        const std::vector<const char *> kStanfordCars{
            "a photo of a {}.",        "a photo of the {}.",      "a photo of my {}.",     "i love my {}!",
            "a photo of my dirty {}.", "a photo of my clean {}.", "a photo of my new {}.", "a photo of my old {}.",
        };

        const std::vector<const char *> kResisc45{
            "satellite imagery of {}.",     "aerial imagery of {}.",     "satellite photo of {}.",
            "aerial photo of {}.",          "satellite view of {}.",     "aerial view of {}.",
            "satellite imagery of a {}.",   "aerial imagery of a {}.",   "satellite photo of a {}.",
            "aerial photo of a {}.",        "satellite view of a {}.",   "aerial view of a {}.",
            "satellite imagery of the {}.", "aerial imagery of the {}.", "satellite photo of the {}.",
            "aerial photo of the {}.",      "satellite view of the {}.", "aerial view of the {}.",
        };

        const std::vector<const char *> kEuroSat{
            "a centered satellite photo of {}.",
            "a centered satellite photo of a {}.",
            "a centered satellite photo of the {}.",
        };

        const std::vector<const char *> kGtsrb{
            "a zoomed in photo of a \"{}\" traffic sign.",
            "a centered photo of a \"{}\" traffic sign.",
            "a close up photo of a \"{}\" traffic sign.",
        };

        const std::vector<const char *> kDtd{
            "a photo of a {} texture.", "a photo of a {} pattern.",   "a photo of a {} thing.",
            "a photo of a {} object.",  "a photo of the {} texture.", "a photo of the {} pattern.",
            "a photo of the {} thing.", "a photo of the {} object.",
        };

        const std::vector<const char *> kCifar{
            "a photo of a {}.",
            "a blurry photo of a {}.",
            "a black and white photo of a {}.",
            "a low contrast photo of a {}.",
            "a high contrast photo of a {}.",
            "a bad photo of a {}.",
            "a good photo of a {}.",
            "a photo of a small {}.",
            "a photo of a big {}.",
            "a photo of the {}.",
            "a blurry photo of the {}.",
            "a black and white photo of the {}.",
            "a low contrast photo of the {}.",
            "a high contrast photo of the {}.",
            "a bad photo of the {}.",
            "a good photo of the {}.",
            "a photo of the small {}.",
            "a photo of the big {}.",
        };

        const std::vector<const char *> kFer2013{
            "a photo of a {} looking face.",
            "a photo of a face showing the emotion: {}.",
            "a photo of a face looking {}.",
            "a face that looks {}.",
            "they look {}.",
            "look at how {} they are.",
        };

        const std::vector<const char *> kMangoLeafDisease{
            "a photo of a mango leaf with {}.",        "a mango leaf showing symptoms of {}.",
            "a close-up photo of {} on a mango leaf.", "this mango leaf is affected by {}.",
            "a mango leaf disease identified as {}.",  "a {} infection on a mango leaf.",
        };

        return std::vector<TaskTemplates>{
            // The eight tasks of the task arithmetic paper.
            {{"sun397"}, kPhotoOfAOrThe},
            {{"stanford-cars", "cars"}, kStanfordCars},
            {{"resisc45"}, kResisc45},
            {{"eurosat"}, kEuroSat},
            {{"svhn"}, kNumber},
            {{"gtsrb"}, kGtsrb},
            {{"mnist"}, kNumber},
            {{"dtd"}, kDtd},
            // The further tasks of the TALL-mask paper's 14 and 20 task sets.
            {{"oxford_flowers102", "flowers102", "flower102"}, {"a photo of a {}, a type of flower."}},
            {{"pcam"}, {"this is a photo of {}"}},
            {{"fer2013"}, kFer2013},
            {{"oxford-iiit-pet", "pets"}, {"a photo of a {}, a type of pet."}},
            {{"stl10"}, kPhotoOfAOrThe},
            {{"cifar100"}, kCifar},
            {{"cifar10"}, kCifar},
            {{"food101"}, {"a photo of {}, a type of food."}},
            {{"fashion_mnist"}, kPhotoOfAOrThe},
            {{"emnist_letters"}, {"a photo of the digit character: \"{}\"."}},
            {{"emnist_mnist"}, kNumber},
            {{"kmnist"}, {"a photo of the character {}."}},
            {{"rendered-sst2"}, {"a {} review of a movie."}},
            // Others FusionBench knows.
            {{"cub-200-2011"}, kPhotoOfAOrThe},
            {{"mango-leaf-disease"}, kMangoLeafDisease},
        };
    }();
    return table;
}

// "Stanford_Cars" and "stanford-cars" are one task.
QString normalised(const QString &taskName)
{
    return taskName.toLower().replace(QLatin1Char('_'), QLatin1Char('-'));
}

} // namespace

QStringList knownTaskTemplates(const QString &taskName)
{
    const QString wanted = normalised(taskName);
    for (const TaskTemplates &task : taskTemplates()) {
        for (const char *name : task.names) {
            if (normalised(QString::fromLatin1(name)) != wanted)
                continue;
            QStringList templates;
            for (const char *text : task.templates)
                templates << QString::fromUtf8(text);
            return templates;
        }
    }
    return {};
}

QStringList knownTemplateTasks()
{
    QStringList names;
    for (const TaskTemplates &task : taskTemplates())
        names << QString::fromLatin1(task.names.front());
    return names;
}

} // namespace wemoe
