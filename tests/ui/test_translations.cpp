// The embedded Simplified Chinese translation loads, translates known strings
// (through the widgets too), and the .ts file leaves no string untranslated
// or with its placeholders lost.

#include "common/error.h"
#include "controllers/language.h"
#include "io/data_source.h"
#include "models/accuracy_table_model.h"
#include "queue/job.h"

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtCore/QTranslator>
#include <QtCore/QXmlStreamReader>
#include <QtTest/QtTest>
#include <QtWidgets/QApplication>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%(\\d+|n|L\\d+)"));
    QSet<QString> found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured(0));
    return found;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsAndTranslates()
    {
        QTranslator *translator = loadStudioTranslator(QStringLiteral("zh_CN"), this);
        QVERIFY(translator);
        QCOMPARE(translator->translate("wemoe::ui::MainWindow", "&Run"), QStringLiteral("运行(&R)"));
        QCOMPARE(translator->translate("wemoe::ui::AccuracyTableModel", "Average"), QStringLiteral("平均"));
        QTranslator *english = loadStudioTranslator(QStringLiteral("en"), this);
        QVERIFY(english); // plural forms only
        QCOMPARE(english->translate("wemoe::ui::WorkspacePanel", "%n task(s)", nullptr, 1), QStringLiteral("%n task"));
        QCOMPARE(english->translate("wemoe::ui::WorkspacePanel", "%n task(s)", nullptr, 2), QStringLiteral("%n tasks"));
        QVERIFY(!loadStudioTranslator(QStringLiteral("fr_FR"), this));

        // Qt's own dialogs and buttons follow (Debian's qt6-translations-l10n).
        QTranslator *qt = loadQtTranslator(QStringLiteral("zh_CN"), this);
        QVERIFY2(qt, "qtbase_zh_CN.qm not found: install qt6-translations-l10n (packaging/install-deps.sh)");
        QCOMPARE(qt->translate("QPlatformTheme", "OK"), QStringLiteral("确定"));
        QCOMPARE(qt->translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
        QVERIFY(!loadQtTranslator(QStringLiteral("en"), this));
        QCOMPARE(resolveLanguage(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        QCOMPARE(resolveLanguage(QStringLiteral("en")), QStringLiteral("en"));

        QCoreApplication::installTranslator(translator);
        AccuracyTableModel model;
        model.clear({QStringLiteral("mnist")});
        QCOMPARE(model.columnName(model.averageColumn()), QStringLiteral("平均"));
        QCOMPARE(Job::stateName(Job::State::Finished), QStringLiteral("已完成"));
        QCoreApplication::removeTranslator(translator);
        QCOMPARE(Job::stateName(Job::State::Finished), QStringLiteral("finished"));
    }

    // An engine error reaches the user in the studio's language: a missing
    // data folder named by the engine, translated by the installed translator.
    void engineErrorsAreTranslated()
    {
        QTranslator *translator = loadStudioTranslator(QStringLiteral("zh_CN"), this);
        QVERIFY(translator);
        const QString missing = QStringLiteral("/nonexistent/wemoe/test-data");
        const auto problem = [&missing]() -> QString {
            try {
                resolveDataSource(missing, QString());
            } catch (const wemoe::Error &e) {
                return e.message();
            }
            return {};
        };
        QCOMPARE(problem(), QStringLiteral("%1: no such file or folder").arg(missing)); // no translator: English
        QCoreApplication::installTranslator(translator);
        const QString translated = problem();
        QCoreApplication::removeTranslator(translator);
        QCOMPARE(translated, QStringLiteral("%1: 没有这个文件或文件夹").arg(missing));
    }

    void everyStringIsTranslated()
    {
        QFile file(QStringLiteral(WEMOE_ZH_CN_TS));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        int messages = 0;
        QString context, source, translation;
        bool unfinished = false, numerus = false;
        QStringList problems;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("name"))
                context = xml.readElementText();
            else if (xml.isStartElement() && xml.name() == QLatin1String("message"))
                numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            else if (xml.isStartElement() && xml.name() == QLatin1String("source"))
                source = xml.readElementText();
            else if (xml.isStartElement() && xml.name() == QLatin1String("translation")) {
                const auto type = xml.attributes().value(QLatin1String("type"));
                unfinished = type == QLatin1String("unfinished") || type == QLatin1String("vanished")
                             || type == QLatin1String("obsolete");
                translation = numerus ? QString() : xml.readElementText();
            } else if (xml.isStartElement() && xml.name() == QLatin1String("numerusform")) {
                translation += xml.readElementText();
            } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
                ++messages;
                const QString where = context + QStringLiteral(": ") + source.left(60);
                if (unfinished || translation.trimmed().isEmpty())
                    problems << QStringLiteral("untranslated: ") + where;
                else if (placeholders(source) != placeholders(translation))
                    problems << QStringLiteral("placeholders differ: ") + where;
                else if (source.contains(QLatin1Char('&')) && !source.contains(QLatin1String("&&"))
                         && source.count(QLatin1Char('&')) != translation.count(QLatin1Char('&')))
                    problems << QStringLiteral("accelerator lost: ") + where;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(messages > 300);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
