#include "text/clip_text_config.h"
