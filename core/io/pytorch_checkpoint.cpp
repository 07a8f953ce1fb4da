#include "io/pytorch_checkpoint.h"
