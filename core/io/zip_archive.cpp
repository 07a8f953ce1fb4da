#include "io/zip_archive.h"
