#pragma once

#include "zoo/zoo_training_recipe.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace wemoe {

// The README.md of a built demo zoo: what it is, its layout, the data
// sources with their licences and credits (from the dataset recipes), the
// recipe's settings and what the build measured (`log` is zoo.json).
QString zooReadme(const ZooTrainingRecipe &recipe, const QJsonObject &log);

} // namespace wemoe
