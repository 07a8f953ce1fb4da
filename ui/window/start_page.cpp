#include "window/start_page.h"

#include "controllers/demo_zoo_estimate.h"
#include "window/dropped_file.h"

#include <QtCore/QDir>
#include <QtCore/QEvent>
#include <QtCore/QFileInfo>
#include <QtCore/QUrl>
#include <QtGui/QCursor>
#include <QtGui/QFontMetrics>
#include <QtGui/QIcon>
#include <QtGui/QPalette>
#include <QtGui/QResizeEvent>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QCommandLinkButton>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QToolTip>

namespace wemoe::ui {

namespace {

// Below this width the recent files go under the buttons instead of beside them.
constexpr int kTwoColumnWidth = 640;
constexpr int kMaxContentWidth = 1100;
// Long folders are cut in the middle: the start and the last folders say where a file is.
constexpr int kFolderWidth = 340;

// Its text: StartPage::retranslateUi().
QLabel *heading(double scale, QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * scale);
    label->setFont(font);
    label->setWordWrap(true);
    return label;
}

QCommandLinkButton *bigButton(const char *iconName, QWidget *parent)
{
    auto *button = new QCommandLinkButton(parent);
    button->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(iconName))));
    button->setIconSize(QSize(28, 28));
    return button;
}

// "TA8" for .../TA8/pool.json, "run 1" for run 1.wemoe-session.json, "x.yaml" for x.yaml.
QString displayName(const QString &path)
{
    const QFileInfo info(path);
    if (info.fileName() == QLatin1String("pool.json"))
        return info.absoluteDir().dirName();
    QString name = info.fileName();
    if (name.endsWith(sessionFileSuffix()))
        name.chop(sessionFileSuffix().size());
    return name;
}

QString displayFolder(const QString &path)
{
    QFileInfo info(path);
    if (info.fileName() == QLatin1String("pool.json"))
        info = QFileInfo(info.absolutePath()); // the name is the folder already
    QString folder = info.absolutePath();
    const QString home = QDir::homePath();
    if (folder == home || folder.startsWith(home + QLatin1Char('/')))
        folder = QLatin1Char('~') + folder.mid(home.size());
    return QDir::toNativeSeparators(folder);
}

} // namespace

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
    , m_columns(new QBoxLayout(QBoxLayout::LeftToRight))
    , m_quickDemo(bigButton("demo", this))
    , m_fullDemo(bigButton("demo", this))
    , m_open(bigButton("open", this))
    , m_import(bigButton("pool", this))
    , m_status(new QLabel(this))
    , m_recentPools(new QLabel(this))
    , m_recentSessions(new QLabel(this))
{
    setObjectName(QStringLiteral("StartPage"));
    auto *content = new QWidget;
    content->setMaximumWidth(kMaxContentWidth);

    m_title = heading(1.6, content);
    m_summary = new QLabel(content);
    m_summary->setWordWrap(true);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    auto *start = new QVBoxLayout;
    start->setSpacing(4);
    m_startHeading = heading(1.2, content);
    start->addWidget(m_startHeading);
    for (QCommandLinkButton *button : {m_quickDemo, m_fullDemo, m_open, m_import})
        start->addWidget(button);
    start->addWidget(m_status);
    start->addStretch(1);

    for (QLabel *list : {m_recentPools, m_recentSessions}) {
        list->setWordWrap(true);
        list->setTextInteractionFlags(Qt::TextBrowserInteraction); // links by mouse and by Tab + Enter
        list->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        connect(list, &QLabel::linkActivated, this,
                [this](const QString &link) { Q_EMIT openPathRequested(QUrl(link).toLocalFile()); });
        // The whole path of the file under the mouse (the list shows its name and a shortened folder).
        connect(list, &QLabel::linkHovered, this, [](const QString &link) {
            if (!link.isEmpty())
                QToolTip::showText(QCursor::pos(), QDir::toNativeSeparators(QUrl(link).toLocalFile()));
        });
    }
    auto *recent = new QVBoxLayout;
    recent->setSpacing(6);
    m_recentHeading = heading(1.2, content);
    m_poolsHeading = heading(1.0, content);
    m_sessionsHeading = heading(1.0, content);
    recent->addWidget(m_recentHeading);
    recent->addWidget(m_poolsHeading);
    recent->addWidget(m_recentPools);
    recent->addSpacing(8);
    recent->addWidget(m_sessionsHeading);
    recent->addWidget(m_recentSessions);
    recent->addStretch(1);

    m_columns->setSpacing(32);
    m_columns->addLayout(start, 3);
    m_columns->addLayout(recent, 2);

    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(24, 12, 24, 12);
    contentLayout->setSpacing(8);
    contentLayout->addWidget(m_title);
    contentLayout->addWidget(m_summary);
    contentLayout->addSpacing(4);
    contentLayout->addLayout(m_columns);
    contentLayout->addStretch(1);

    // Centred, never wider than kMaxContentWidth; scrolls when the window is small.
    auto *centring = new QWidget;
    auto *centringLayout = new QHBoxLayout(centring);
    centringLayout->setContentsMargins(0, 0, 0, 0);
    centringLayout->addStretch(0);
    centringLayout->addWidget(content, 1);
    centringLayout->addStretch(0);
    auto *scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(centring);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(m_quickDemo, &QCommandLinkButton::clicked, this, [this] { Q_EMIT openDemoRequested(true); });
    connect(m_fullDemo, &QCommandLinkButton::clicked, this, [this] { Q_EMIT openDemoRequested(false); });
    connect(m_open, &QCommandLinkButton::clicked, this, &StartPage::openRequested);
    connect(m_import, &QCommandLinkButton::clicked, this, &StartPage::importRequested);

    retranslateUi();
}

void StartPage::retranslateUi()
{
    m_title->setText(tr("WEMoE Studio"));
    m_summary->setText(tr("Merges fine-tuned copies of one CLIP vision transformer into one model that serves all "
                          "their tasks, compares the merging methods task by task, and shows how WEMoE routes every "
                          "image. Start with the demo: it needs no download."));
    m_open->setText(tr("Open a pool or session…"));
    m_open->setDescription(tr("A pool file (pool.json, or a folder holding one) or a saved session (Ctrl+O). Files "
                              "and folders can also be dropped on the window."));
    m_import->setText(tr("Import a FusionBench pool…"));
    m_import->setDescription(tr("A FusionBench CLIP model-pool YAML: its models are found in the Hugging Face cache, "
                                "its test images in a data folder beside it."));
    m_startHeading->setText(tr("Start"));
    m_recentHeading->setText(tr("Recent"));
    m_poolsHeading->setText(tr("Pools"));
    m_sessionsHeading->setText(tr("Sessions"));
    for (const auto &estimate : {m_quickEstimate, m_fullEstimate}) {
        if (estimate)
            setDemoEstimate(*estimate);
    }
    setRecent(m_pools, m_sessions);
    // The status line stays: it was said about something that happened.
}

void StartPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void StartPage::setDemoEstimate(const DemoZooEstimate &estimate)
{
    (estimate.quick ? m_quickEstimate : m_fullEstimate) = estimate;
    if (estimate.quick) {
        m_quickDemo->setText(tr("Open the demo (quick zoo, %1)").arg(estimate.brief()));
        m_quickDemo->setDescription(tr("A tiny CLIP-layout model fine-tuned on eight small datasets, trained briefly: "
                                       "every method and view to try. %1")
                                        .arg(estimate.text()));
    } else {
        m_fullDemo->setText(tr("Open the full demo (%1)").arg(estimate.brief()));
        m_fullDemo->setDescription(
            tr("The same eight tasks with more images and longer training: clearer differences between the "
               "methods. %1")
                .arg(estimate.text()));
    }
}

void StartPage::setRecent(const QStringList &pools, const QStringList &sessions)
{
    m_pools = pools;
    m_sessions = sessions;
    m_shownPools = fillList(m_recentPools, pools, tr("None yet: the pools you open are listed here."));
    m_shownSessions = fillList(m_recentSessions, sessions, tr("None yet: sessions you save or open are listed here."));
}

QStringList StartPage::fillList(QLabel *list, const QStringList &files, const QString &none)
{
    QStringList shown;
    QStringList lines;
    const QFontMetrics metrics(list->font());
    const QString faint = list->palette().color(QPalette::PlaceholderText).name();
    for (const QString &path : files) {
        if (!QFileInfo::exists(path))
            continue; // gone: the File ▸ Open recent menu still shows it, disabled
        shown << path;
        const QString folder = metrics.elidedText(displayFolder(path), Qt::ElideMiddle, kFolderWidth);
        lines << QStringLiteral("<a href=\"%1\">%2</a><br><span style=\"color: %3\">%4</span>")
                     .arg(QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded).toHtmlEscaped(),
                          displayName(path).toHtmlEscaped(), faint, folder.toHtmlEscaped());
    }
    if (shown.isEmpty())
        list->setText(QStringLiteral("<span style=\"color: %1\">%2</span>").arg(faint, none.toHtmlEscaped()));
    else
        list->setText(lines.join(QStringLiteral("<br><br>")));
    return shown;
}

void StartPage::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b00020;") : QString());
    m_status->setVisible(!text.isEmpty());
}

QString StartPage::statusText() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

void StartPage::setDemoBusy(bool busy)
{
    m_quickDemo->setEnabled(!busy);
    m_fullDemo->setEnabled(!busy);
}

void StartPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_columns->setDirection(event->size().width() >= kTwoColumnWidth ? QBoxLayout::LeftToRight
                                                                     : QBoxLayout::TopToBottom);
}

} // namespace wemoe::ui
