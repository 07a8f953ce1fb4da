#include "panels/invalid_input_marker.h"

#include <QtCore/QPointer>
#include <QtGui/QPalette>
#include <QtWidgets/QAbstractSpinBox>
#include <QtWidgets/QLineEdit>

#include <memory>
#include <utility>

namespace wemoe::ui {

namespace {

const char *const kInvalidProperty = "wemoeInvalidInput";

bool acceptsItsText(QWidget *field)
{
    if (auto *spin = qobject_cast<QAbstractSpinBox *>(field))
        return spin->hasAcceptableInput();
    if (auto *edit = qobject_cast<QLineEdit *>(field))
        return edit->hasAcceptableInput();
    return true;
}

} // namespace

void markInvalidInput(QWidget *field, const QString &acceptedText)
{
    // A spin box's text lives in its (protected) line edit; both take the colour.
    QLineEdit *edit = qobject_cast<QLineEdit *>(field);
    if (!edit)
        edit = field->findChild<QLineEdit *>();
    if (!edit)
        return;
    const QPointer<QWidget> guarded(field);
    // The look and tooltip to return to are taken when the mark goes on: the
    // form may set the tooltip after this call.
    auto normal = std::make_shared<std::pair<QPalette, QString>>();
    const auto update = [guarded, edit, normal, acceptedText] {
        if (!guarded)
            return;
        QWidget *f = guarded.data();
        const bool invalid = !acceptsItsText(f);
        if (invalid == f->property(kInvalidProperty).toBool())
            return;
        f->setProperty(kInvalidProperty, invalid);
        if (invalid) {
            *normal = {f->palette(), f->toolTip()};
            QPalette palette = normal->first;
            palette.setColor(QPalette::Base, QColor(0xff, 0xd6, 0xd6));
            palette.setColor(QPalette::Text, QColor(0x8b, 0x00, 0x00));
            f->setPalette(palette);
            edit->setPalette(palette);
            f->setToolTip(QStringLiteral("<b>%1</b><br>%2").arg(acceptedText.toHtmlEscaped(), normal->second));
        } else {
            f->setPalette(normal->first);
            edit->setPalette(normal->first);
            f->setToolTip(normal->second);
        }
    };
    QObject::connect(edit, &QLineEdit::textChanged, field, update);
    // Leaving the field puts an accepted value back (Qt's fix-up): the mark goes with it.
    QObject::connect(edit, &QLineEdit::editingFinished, field, update);
    if (auto *spin = qobject_cast<QAbstractSpinBox *>(field))
        QObject::connect(spin, &QAbstractSpinBox::editingFinished, field, update);
}

bool isMarkedInvalid(const QWidget *field)
{
    return field->property(kInvalidProperty).toBool();
}

} // namespace wemoe::ui
