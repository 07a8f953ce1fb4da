#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

class QCoreApplication;
class QObject;
class QTranslator;

namespace wemoe::ui {

// The interface language: "system" (follow the desktop), "en" or "zh_CN".
// Stored in QSettings under "ui/language"; applied at start-up.
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

// Installs the translators of the saved setting (the studio's and Qt's).
// Returns the resolved language.
QString installStudioTranslator(QCoreApplication &app);

} // namespace wemoe::ui
