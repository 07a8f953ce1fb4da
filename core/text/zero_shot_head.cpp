#include "text/zero_shot_head.h"
