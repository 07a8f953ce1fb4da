#include "text/clip_tokenizer.h"
