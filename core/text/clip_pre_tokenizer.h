#pragma once

#include <QtCore/QStringView>

#include <vector>

namespace wemoe {

// CLIP's words: the matches, in order, of its pattern
//   <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// (case-insensitive, Python's regex module) in `text`, as views into it.
// Letters and numbers are Unicode's (Unicode 14, Qt 6.4's QChar categories),
// counted in code points, so a surrogate pair is one character.
// Case-insensitive means simple case folding: "'ſ" is a contraction too.
// U+0345 (a combining mark that folds to ι) matches no alternative under
// that flag, so it separates words like a space.
std::vector<QStringView> splitClipWords(QStringView text);

} // namespace wemoe
