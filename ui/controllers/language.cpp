#include "controllers/language.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
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

LanguageSwitcher::LanguageSwitcher(QCoreApplication &app)
    : QObject(&app)
    , m_app(app)
{
}

LanguageSwitcher *LanguageSwitcher::of(QCoreApplication &app)
{
    if (auto *existing = app.findChild<LanguageSwitcher *>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new LanguageSwitcher(app);
}

QString LanguageSwitcher::switchTo(const QString &setting)
{
    const QString language = resolveLanguage(setting);
    if (language == m_language)
        return language;
    for (QTranslator *old : {m_studio, m_qt}) {
        if (old) {
            m_app.removeTranslator(old);
            delete old;
        }
    }
    // The studio's is installed last, so it is asked first.
    m_qt = loadQtTranslator(language, this);
    if (m_qt)
        m_app.installTranslator(m_qt);
    m_studio = loadStudioTranslator(language, this);
    if (m_studio)
        m_app.installTranslator(m_studio);
    m_language = language;
    // Qt posts LanguageChange to the top-level widgets (one each, however many
    // translators changed); delivered here, the switch is complete on return.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    return language;
}

QString installStudioTranslator(QCoreApplication &app)
{
    return LanguageSwitcher::of(app)->switchTo(languageSetting());
}

} // namespace wemoe::ui
