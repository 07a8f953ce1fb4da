#pragma once

#include "zoo/dataset_recipe.h"

namespace wemoe {

// The eight recipes of docs/DEMO-DATA.md, one file each (<name>_dataset.cpp).
// demoZooRecipes() (zoo_builder.h) lists them in order.
DatasetRecipe digitsRecipe();       // MNIST: opencv-doc's digits.png scans
DatasetRecipe fashionRecipe();      // Fashion-MNIST: dataset-fashion-mnist
DatasetRecipe deepSkyRecipe();      // SUN397-like: Stellarium's nebula photos
DatasetRecipe biomesRecipe();       // EuroSAT/RESISC45: Blue Marble patches
DatasetRecipe objectsRecipe();      // CIFAR/Cars: Tux Paint photo stamps on photos
DatasetRecipe texturesRecipe();     // DTD: GIMP patterns and MyPaint papers
DatasetRecipe roadSignsRecipe();    // GTSRB: Openclipart and Tux Paint signs on photos
DatasetRecipe houseNumbersRecipe(); // SVHN: digits in real fonts on photos

} // namespace wemoe
