#include "io/model_weights.h"
