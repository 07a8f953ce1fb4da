#pragma once

#include <QtWidgets/QWidget>

class QPlainTextEdit;

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
    void append(wemoe::ui::LogPanel::Level level, const QString &text);
    void info(const QString &text) { append(Level::Info, text); }
    void warning(const QString &text) { append(Level::Warning, text); }
    void error(const QString &text) { append(Level::Error, text); }
    void clear();
    void promptSave();

private:
    QPlainTextEdit *m_text;
};

} // namespace wemoe::ui
