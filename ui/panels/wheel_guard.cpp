#include "panels/wheel_guard.h"

#include <QtCore/QEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QWidget>

namespace wemoe::ui {

namespace {

class UnfocusedWheelFilter : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Wheel)
            return false;
        const auto *widget = qobject_cast<QWidget *>(watched);
        if (!widget || widget->hasFocus())
            return false;
        // Not handled here: ignored, the event goes on to the parents (the scroll area).
        event->ignore();
        return true;
    }
};

QObject *sharedFilter()
{
    static auto *filter = new UnfocusedWheelFilter(QCoreApplication::instance());
    return filter;
}

} // namespace

void takeWheelOnlyWhenFocused(QWidget *control)
{
    control->setFocusPolicy(Qt::StrongFocus);
    control->installEventFilter(sharedFilter());
}

} // namespace wemoe::ui
