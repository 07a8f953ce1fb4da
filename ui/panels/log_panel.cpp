#include "panels/log_panel.h"

#include "common/error.h"
#include "io/atomic_file.h"

#include <QtCore/QDateTime>
#include <QtCore/QEvent>
#include <QtGui/QTextBlock>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

namespace {

constexpr int kMaxLines = 5000;

} // namespace

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_text(new QPlainTextEdit(this))
    , m_clear(new QToolButton(this))
    , m_save(new QToolButton(this))
{
    m_text->setReadOnly(true);
    m_text->setMaximumBlockCount(kMaxLines);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QFont mono = m_text->font();
    mono.setStyleHint(QFont::Monospace);
    mono.setFamily(QStringLiteral("monospace"));
    m_text->setFont(mono);

    connect(m_clear, &QToolButton::clicked, this, &LogPanel::clear);
    connect(m_save, &QToolButton::clicked, this, &LogPanel::promptSave);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_clear);
    buttons->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    retranslateUi();
}

void LogPanel::retranslateUi()
{
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Empty the log."));
    m_save->setText(tr("Save…"));
    m_save->setToolTip(tr("Save the log as a text file."));
}

void LogPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString LogPanel::plainText() const
{
    return m_text->toPlainText();
}

int LogPanel::append(Level level, const QString &text)
{
    const QString time = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    QString color;
    QString prefix;
    switch (level) {
    case Level::Info: break;
    case Level::Warning:
        color = QStringLiteral("#a05a00");
        prefix = tr("warning: ");
        break;
    case Level::Error:
        color = QStringLiteral("#b00020");
        prefix = tr("error: ");
        break;
    }
    QString html = QStringLiteral("<span style=\"color:#808080\">%1</span> ").arg(time);
    const QString body = (prefix + text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    html += color.isEmpty() ? body : QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color, body);
    m_text->appendHtml(html);
    // One block per entry (line breaks inside it are <br>): the block carries its number.
    const int entry = m_entries++;
    m_text->document()->lastBlock().setUserState(entry);
    return entry;
}

bool LogPanel::showEntry(int entry)
{
    for (QTextBlock block = m_text->document()->lastBlock(); block.isValid(); block = block.previous()) {
        if (block.userState() != entry)
            continue;
        QTextCursor cursor(block);
        cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        m_text->setTextCursor(cursor);
        m_text->ensureCursorVisible();
        m_text->setFocus(Qt::OtherFocusReason);
        return true;
    }
    return false;
}

void LogPanel::clear()
{
    m_text->clear();
}

void LogPanel::promptSave()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save log"), QStringLiteral("wemoe-studio.log"),
                                                      tr("Text files (*.log *.txt)"));
    if (file.isEmpty())
        return;
    try {
        writeFileAtomically(file, plainText().toUtf8());
    } catch (const Error &e) {
        QMessageBox::warning(this, tr("Save log"), e.message());
    }
}

} // namespace wemoe::ui
