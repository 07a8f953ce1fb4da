#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

class QCoreApplication;
class QTranslator;

namespace wemoe::ui {

// The interface language: "system" (follow the desktop), "en" or "zh_CN".
// Stored in QSettings under "ui/language"; applied at start-up and when the
// Language menu switches it (LanguageSwitcher).
QString languageSetting();
void setLanguageSetting(const QString &language);
QStringList supportedLanguages(); // "en", "zh_CN"

// The locale a setting resolves to ("system" -> the desktop's, e.g. "zh_CN").
QString resolveLanguage(const QString &setting);

// Loads the studio's embedded translation for a locale name (":/i18n/wemoe_studio_<name>.qm",
// also trying the language alone) into a new translator owned by `parent`;
// nullptr when no translation exists. English has one too: its plural forms.
QTranslator *loadStudioTranslator(const QString &localeName, QObject *parent);

// Qt's own translation of its dialogs and buttons ("qtbase_<name>.qm" from
// Qt's translations folder, Debian's qt6-translations-l10n), so a file dialog
// or an OK button speaks the studio's language; nullptr when Qt has none.
QTranslator *loadQtTranslator(const QString &localeName, QObject *parent);

// The translators in use, the studio's and Qt's. Switching removes them and
// installs the new language's; Qt then sends every widget
// QEvent::LanguageChange, and each retranslates itself (its retranslateUi()),
// so the window changes language without a restart.
class LanguageSwitcher : public QObject
{
    Q_OBJECT

public:
    // The application's one switcher, made on first use as its child.
    static LanguageSwitcher *of(QCoreApplication &app);

    // Installs the translators of a setting ("system", "en", "zh_CN") in place
    // of the ones installed before, and delivers the LanguageChange events at
    // once, so every widget speaks the new language when this returns.
    // Returns the resolved language; nothing changes when it is the current one.
    QString switchTo(const QString &setting);
    // The resolved language installed ("en", "zh_CN"); empty before the first switch.
    QString language() const { return m_language; }

private:
    explicit LanguageSwitcher(QCoreApplication &app);

    QCoreApplication &m_app;
    QTranslator *m_studio = nullptr;
    QTranslator *m_qt = nullptr;
    QString m_language;
};

// Installs the translators of the saved setting (the studio's and Qt's).
// Returns the resolved language.
QString installStudioTranslator(QCoreApplication &app);

} // namespace wemoe::ui
