#pragma once

#include <QtCore/QString>

namespace wemoe {

// Python's html.unescape, which CLIP applies (twice) to every prompt:
// numeric references (&#39; &#x27;, with or without the ';', out-of-range
// and surrogate numbers as U+FFFD, C1 numbers read as Windows-1252, other
// forbidden code points dropped) and named references, a name followed by
// more letters read as its longest known prefix ("&ampx" is "&x").
//
// Named references: the 252 entities of HTML 4.01 (name2codepoint: &amp;
// &lt; &gt; &quot; &nbsp; &eacute; &mdash; &hellip; &euro; &hearts; ...)
// plus &apos; and the upper-case &AMP; &LT; &GT; &QUOT; &COPY; &REG;. They
// include every name HTML5 accepts without its ';', so "&copy2024" reads as
// Python reads it; a name known only to HTML5 (&check;, &star;)
// is left as written where Python would replace it.
QString unescapeHtml(const QString &text);

} // namespace wemoe
