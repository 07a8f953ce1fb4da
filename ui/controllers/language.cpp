#include "controllers/language.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLibraryInfo>
#include <QtCore/QLocale>
#include <QtCore/QSettings>
#include <QtCore/QTranslator>

namespace wemoe::ui {

namespace {

const QString kKey = QStringLiteral("ui/language");
const QString kSystem = QStringLiteral("system");

} // namespace

QString languageSetting()
{
    const QString value = QSettings().value(kKey, kSystem).toString();
    return value == kSystem || supportedLanguages().contains(value) ? value : kSystem;
}

void setLanguageSetting(const QString &language)
{
    QSettings().setValue(kKey, language);
}

QStringList supportedLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("zh_CN")};
}

QString resolveLanguage(const QString &setting)
{
    if (setting != kSystem)
        return setting;
    // The first of the desktop's preferred languages that the studio speaks.
    for (const QString &name : QLocale::system().uiLanguages()) {
        const QLocale locale(name);
        if (locale.language() == QLocale::Chinese && locale.script() != QLocale::TraditionalChineseScript
            && locale.territory() != QLocale::Taiwan && locale.territory() != QLocale::HongKong)
            return QStringLiteral("zh_CN");
        if (locale.language() == QLocale::English)
            return QStringLiteral("en");
    }
    return QStringLiteral("en");
}

QTranslator *loadStudioTranslator(const QString &localeName, QObject *parent)
{
    // English is the source language; its .qm only adds plural forms ("1 task", "2 tasks").
    if (localeName.isEmpty())
        return nullptr;
    auto *translator = new QTranslator(parent);
    const QStringList candidates{localeName, localeName.section(QLatin1Char('_'), 0, 0)};
    for (const QString &name : candidates) {
        if (translator->load(QStringLiteral(":/i18n/wemoe_studio_%1.qm").arg(name)))
            return translator;
    }
    delete translator;
    return nullptr;
}

QTranslator *loadQtTranslator(const QString &localeName, QObject *parent)
{
    if (localeName.isEmpty() || localeName == QLatin1String("en"))
        return nullptr; // Qt's source language
    auto *translator = new QTranslator(parent);
    if (translator->load(QLocale(localeName), QStringLiteral("qtbase"), QStringLiteral("_"),
                         QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        return translator;
    delete translator;
    return nullptr;
}

QString installStudioTranslator(QCoreApplication &app)
{
    const QString language = resolveLanguage(languageSetting());
    if (QTranslator *qt = loadQtTranslator(language, &app))
        app.installTranslator(qt);
    if (QTranslator *translator = loadStudioTranslator(language, &app))
        app.installTranslator(translator);
    return language;
}

} // namespace wemoe::ui
