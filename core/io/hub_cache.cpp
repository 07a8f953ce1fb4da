#include "io/hub_cache.h"
