#include "window/editors_keep_escape.h"

#include <QtGui/QKeyEvent>
#include <QtWidgets/QAbstractSpinBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QTextEdit>

namespace wemoe::ui {

bool isTextEditor(const QObject *object)
{
    if (qobject_cast<const QLineEdit *>(object) || qobject_cast<const QAbstractSpinBox *>(object)
        || qobject_cast<const QPlainTextEdit *>(object))
        return true;
    if (const auto *text = qobject_cast<const QTextEdit *>(object))
        return !text->isReadOnly();
    if (const auto *combo = qobject_cast<const QComboBox *>(object))
        return combo->isEditable();
    return false;
}

bool EditorsKeepEscape::eventFilter(QObject *watched, QEvent *event)
{
    // Accepting the override delivers the key to the focused field as a key
    // press instead of triggering the shortcut.
    if (event->type() == QEvent::ShortcutOverride && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape
        && isTextEditor(watched))
        event->accept();
    return false;
}

} // namespace wemoe::ui
