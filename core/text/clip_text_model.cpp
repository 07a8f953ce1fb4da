#include "text/clip_text_model.h"
