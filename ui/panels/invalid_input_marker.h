#pragma once

class QString;
class QWidget;

namespace wemoe::ui {

// Marks a spin box or line edit while its text is not a value it accepts
// (empty, "-", 3 in a box whose minimum is 5): the field turns red and its
// tooltip says what it takes. Without the mark, Qt silently puts the old
// value back when the field loses focus, and the run uses a number the user
// did not see themselves type. `acceptedText` is the tooltip's rule.
void markInvalidInput(QWidget *field, const QString &acceptedText);

// Whether `field` is marked now (tests, and anything that wants to refuse a run).
bool isMarkedInvalid(const QWidget *field);

} // namespace wemoe::ui
