#include "io/pickle_reader.h"
