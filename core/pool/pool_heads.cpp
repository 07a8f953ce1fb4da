#include "pool/pool_heads.h"
