// A method's parameter controls as a user types into them: a value the field
// cannot take is marked in place (and the mark goes once it can), a seed too
// large for 64 bits is not silently replaced by the default.

#include "methods/compute_parameters.h"
#include "methods/method_catalogue.h"
#include "panels/invalid_input_marker.h"
#include "panels/parameter_control.h"

#include <QtTest/QtTest>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

const Parameter &parameterOf(const QString &method, const QString &key)
{
    for (const Parameter &p : findMethod(method)->parameters) {
        if (p.key == key)
            return p;
    }
    qFatal("no parameter %s of %s", qPrintable(key), qPrintable(method));
}

void typeInto(QWidget *field, const QString &text)
{
    auto *edit = qobject_cast<QLineEdit *>(field);
    if (!edit)
        edit = field->findChild<QLineEdit *>();
    QVERIFY(edit);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestParameterControls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anEmptyNumberIsMarkedUntilItIsOne()
    {
        QWidget form;
        ParameterControl control(evalBatchParameter(), &form); // 1 … 4096
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        const QString normalTip = control.widget()->toolTip();
        const QColor normalBase = control.widget()->palette().color(QPalette::Base);

        typeInto(control.widget(), QString());
        QVERIFY(isMarkedInvalid(control.widget()));
        QVERIFY(control.widget()->palette().color(QPalette::Base) != normalBase);
        QVERIFY2(control.widget()->toolTip().contains(QStringLiteral("4096")), qPrintable(control.widget()->toolTip()));

        QTest::keyClicks(control.widget()->findChild<QLineEdit *>(), QStringLiteral("24"));
        QVERIFY(!isMarkedInvalid(control.widget()));
        QCOMPARE(control.widget()->palette().color(QPalette::Base), normalBase);
        QCOMPARE(control.widget()->toolTip(), normalTip);
        QTest::keyClick(control.widget()->findChild<QLineEdit *>(), Qt::Key_Return);
        QCOMPARE(control.value().toInt(), 24);
    }

    void aSeedBeyondSixtyFourBitsIsMarkedNotReplaced()
    {
        QWidget form;
        ParameterControl control(parameterOf(QStringLiteral("dare"), QStringLiteral("seed")), &form);
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        typeInto(control.widget(), QStringLiteral("18446744073709551615")); // 2^64 - 1: fits
        QVERIFY(!isMarkedInvalid(control.widget()));
        QCOMPARE(control.value().toULongLong(), std::numeric_limits<quint64>::max());
        typeInto(control.widget(), QStringLiteral("18446744073709551616")); // 2^64: does not
        QVERIFY(isMarkedInvalid(control.widget()));
        typeInto(control.widget(), QStringLiteral("12ab")); // letters are not typed at all
        QCOMPARE(qobject_cast<QLineEdit *>(control.widget())->text(), QStringLiteral("12"));
        QVERIFY(!isMarkedInvalid(control.widget()));
    }
};

QTEST_MAIN(TestParameterControls)
#include "test_parameter_controls.moc"
