#pragma once

class QWidget;

namespace wemoe::ui {

// Makes a spin box or combo box take the mouse wheel only while it has the
// keyboard focus (clicked or tabbed into). Elsewhere the wheel scrolls the
// panel around it: scrolling the Methods panel over a TIES top-k box must
// not turn 20 % into 0.1 %. The box no longer takes focus from the wheel.
void takeWheelOnlyWhenFocused(QWidget *control);

} // namespace wemoe::ui
