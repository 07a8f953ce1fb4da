#pragma once

#include <QtWidgets/QWidget>

class QPlainTextEdit;
class QToolButton;

namespace wemoe::ui {

// What happened, newest last: jobs started and finished, engine warnings,
// errors. Time-stamped; can be cleared and saved.
class LogPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Level { Info, Warning, Error };

    explicit LogPanel(QWidget *parent = nullptr);

    QString plainText() const;

public Q_SLOTS:
    // Returns the entry's number, for showEntry().
    int append(wemoe::ui::LogPanel::Level level, const QString &text);
    void info(const QString &text) { append(Level::Info, text); }
    void warning(const QString &text) { append(Level::Warning, text); }
    int error(const QString &text) { return append(Level::Error, text); }
    // Scrolls to entry `entry` and selects it; false when it was cleared or trimmed away.
    bool showEntry(int entry);
    void clear();
    void promptSave();

protected:
    void changeEvent(QEvent *event) override;

private:
    // The buttons' texts; again when the language switches (lines already
    // written stay in the language they were written in).
    void retranslateUi();

    QPlainTextEdit *m_text;
    QToolButton *m_clear;
    QToolButton *m_save;
    int m_entries = 0; // entries ever appended: the next one's number
};

} // namespace wemoe::ui
