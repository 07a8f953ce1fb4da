#pragma once

#include <QtCore/QObject>

namespace wemoe::ui {

// While a text or number field has the focus, Esc belongs to it (it reverts
// or leaves the edit), not to the window's Cancel shortcut: typing in a spin
// box must never stop a job. Installed on the application by the main window.
class EditorsKeepEscape : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

// Whether `object` is a field the user types into (a line edit, a spin box, a
// text editor, an editable combo box).
bool isTextEditor(const QObject *object);

} // namespace wemoe::ui
