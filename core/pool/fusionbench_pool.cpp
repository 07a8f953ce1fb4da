#include "pool/fusionbench_pool.h"
