#include "panels/workspace_panel.h"

#include "controllers/compute_environment.h"

#include <QtCore/QDir>
#include <QtCore/QEvent>
#include <QtCore/QFileInfo>
#include <QtCore/QUrl>
#include <QtGui/QClipboard>
#include <QtGui/QDesktopServices>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenu>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

namespace {

// Status right after the name: in a narrow dock the long details are what
// gets cut, never whether an item is usable.
enum Column { NameColumn, StatusColumn, SizeColumn, DetailsColumn, ColumnCount };
constexpr int kPathRole = Qt::UserRole + 1;

QString parameterCount(qint64 parameters)
{
    if (parameters >= 1000000)
        return QCoreApplication::translate("wemoe::ui::WorkspacePanel", "%1 M parameters")
            .arg(parameters / 1e6, 0, 'f', 1);
    return QCoreApplication::translate("wemoe::ui::WorkspacePanel", "%1 parameters").arg(parameters);
}

void setStatus(QTreeWidgetItem *item, const QString &status, bool ok)
{
    // One word keeps the column narrow; the reason is the tooltip and the Log's warning.
    item->setText(StatusColumn, ok ? QCoreApplication::translate("wemoe::ui::WorkspacePanel", "ok")
                                   : QCoreApplication::translate("wemoe::ui::WorkspacePanel", "problem"));
    item->setToolTip(StatusColumn, status);
    item->setIcon(StatusColumn, QIcon(ok ? QStringLiteral(":/icons/ok.svg") : QStringLiteral(":/icons/warning.svg")));
    if (!ok)
        item->setForeground(StatusColumn, QColor(0xb0, 0x00, 0x20));
}

} // namespace

WorkspacePanel::WorkspacePanel(QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_note(new QLabel(this))
    , m_tree(new QTreeWidget(this))
{
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_note->hide();
    m_tree->setColumnCount(ColumnCount);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->header()->setStretchLastSection(true);
    // Names whole (a task name cut to "road_si…" says little); the details give way.
    m_tree->header()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(StatusColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(SizeColumn, QHeaderView::ResizeToContents);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, &WorkspacePanel::showContextMenu);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_header);
    layout->addWidget(m_note);
    layout->addWidget(m_tree, 1);
    retranslateUi();
}

void WorkspacePanel::retranslateUi()
{
    m_tree->setHeaderLabels({tr("Item"), tr("Status"), tr("Size"), tr("Details")});
    m_tree->setToolTip(tr("Right-click an item to copy its path or open its folder."));
    // Replayed in the order they came; the note stays as it was said.
    const QString loading = m_loadingPath;
    const QVector<CheckpointInfo> inspected = m_inspected;
    setInfo(m_info, m_note->text());
    for (const CheckpointInfo &model : inspected)
        addInspected(model);
    if (!loading.isEmpty())
        setLoading(loading);
}

void WorkspacePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString WorkspacePanel::headerText() const
{
    return m_header->text();
}

QString WorkspacePanel::noteText() const
{
    return m_note->isHidden() ? QString() : m_note->text();
}

void WorkspacePanel::setLoading(const QString &path)
{
    m_loadingPath = path;
    m_header->setText(tr("Loading %1 …").arg(QDir::toNativeSeparators(path)));
    m_note->hide();
}

QTreeWidgetItem *WorkspacePanel::addCheckpoint(QTreeWidgetItem *parent, const QString &label,
                                               const CheckpointInfo &info)
{
    auto *item = new QTreeWidgetItem(parent);
    item->setText(NameColumn, label);
    item->setIcon(NameColumn, QIcon(QStringLiteral(":/icons/model.svg")));
    item->setText(DetailsColumn, info.architecture);
    item->setToolTip(NameColumn, QDir::toNativeSeparators(info.path));
    item->setToolTip(
        DetailsColumn,
        tr("%1\n%2, %3 tensors").arg(info.architecture, parameterCount(info.parameters)).arg(info.tensors));
    item->setText(SizeColumn, formatBytes(info.bytes));
    item->setToolTip(SizeColumn, parameterCount(info.parameters));
    item->setData(NameColumn, kPathRole, info.path);
    setStatus(item, info.status, info.ok);
    return item;
}

void WorkspacePanel::setInfo(const WorkspaceInfo &info, const QString &note)
{
    m_info = info;
    m_loadingPath.clear();
    m_inspected.clear();
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    m_tree->clear();
    m_inspectedRoot = nullptr;
    if (info.isEmpty()) {
        m_header->setText(tr("No pool open. Open a pool file (Ctrl+O) or drop one on the window."));
        return;
    }
    m_header->setText(tr("<b>%1</b><br>%2")
                          .arg(info.poolName.toHtmlEscaped(), QDir::toNativeSeparators(info.poolPath).toHtmlEscaped()));
    auto *pool = new QTreeWidgetItem(m_tree);
    pool->setText(NameColumn, info.poolName);
    pool->setIcon(NameColumn, QIcon(QStringLiteral(":/icons/pool.svg")));
    pool->setText(DetailsColumn, tr("%n task(s)", nullptr, info.tasks.size()));
    pool->setData(NameColumn, kPathRole, info.poolPath);
    pool->setToolTip(NameColumn, QDir::toNativeSeparators(info.poolPath));
    if (info.warnings > 0)
        setStatus(pool, tr("%n warning(s) while loading: see the log", nullptr, info.warnings), false);
    else
        setStatus(pool, QString(), true);

    addCheckpoint(pool, tr("pretrained"), info.pretrained);
    qint64 total = info.pretrained.bytes;
    auto *tasks = new QTreeWidgetItem(pool);
    tasks->setText(NameColumn, tr("tasks"));
    for (const TaskInfo &task : info.tasks) {
        auto *item = new QTreeWidgetItem(tasks);
        item->setText(NameColumn, task.name);
        item->setIcon(NameColumn, QIcon(QStringLiteral(":/icons/task.svg")));
        item->setText(DetailsColumn, tr("%n class(es)", nullptr, task.classes) + QStringLiteral(", ")
                                         + tr("%n test image(s)", nullptr, task.testImages));
        setStatus(item, task.testStatus, task.checkpoint.ok && task.testOk);
        addCheckpoint(item, tr("checkpoint"), task.checkpoint);
        total += task.checkpoint.bytes;

        auto *head = new QTreeWidgetItem(item);
        head->setText(NameColumn, tr("head"));
        head->setIcon(NameColumn, QIcon(QStringLiteral(":/icons/head.svg")));
        head->setText(DetailsColumn, tr("%1 head, %n class(es)", nullptr, task.classes).arg(task.headType));
        head->setData(NameColumn, kPathRole, task.headPath);
        head->setToolTip(NameColumn, QDir::toNativeSeparators(task.headPath));
        head->setText(SizeColumn, formatBytes(QFileInfo(task.headPath).size()));
        setStatus(head, QString(), true);

        auto *test = new QTreeWidgetItem(item);
        test->setText(NameColumn, tr("test images"));
        test->setIcon(NameColumn, QIcon(QStringLiteral(":/icons/images.svg")));
        const QString format = task.testParquet ? tr("Parquet, %n file(s)", nullptr, task.testFiles)
                                                : tr("image folder");
        test->setText(DetailsColumn, tr("%n image(s)", nullptr, task.testImages) + QStringLiteral(", ") + format);
        test->setData(NameColumn, kPathRole, task.testDataPath);
        test->setToolTip(NameColumn, QDir::toNativeSeparators(task.testData));
        setStatus(test, task.testStatus, task.testOk);
        // Where the images come from and what they are labelled with.
        auto *source = new QTreeWidgetItem(test);
        source->setText(NameColumn, tr("source"));
        source->setText(DetailsColumn, QDir::toNativeSeparators(task.testData));
        source->setToolTip(DetailsColumn, QDir::toNativeSeparators(task.testData));
        source->setData(NameColumn, kPathRole, task.testDataPath);
        auto *classes = new QTreeWidgetItem(test);
        classes->setText(NameColumn, tr("classes"));
        classes->setText(DetailsColumn, task.testClasses.join(QStringLiteral(", ")));
        classes->setToolTip(DetailsColumn, tr("%n class(es):", nullptr, task.testClasses.size()) + QLatin1Char('\n')
                                               + task.testClasses.mid(0, 200).join(QStringLiteral(", ")));
        if (!task.trainData.isEmpty()) {
            auto *train = new QTreeWidgetItem(item);
            train->setText(NameColumn, tr("training images"));
            train->setIcon(NameColumn, QIcon(QStringLiteral(":/icons/images.svg")));
            train->setText(DetailsColumn, QDir::toNativeSeparators(task.trainData));
            train->setToolTip(NameColumn, QDir::toNativeSeparators(task.trainData));
        }
    }
    pool->setText(SizeColumn, formatBytes(total));
    m_tree->expandToDepth(1);
}

void WorkspacePanel::addInspected(const CheckpointInfo &info)
{
    m_inspected << info;
    if (!m_inspectedRoot) {
        m_inspectedRoot = new QTreeWidgetItem(m_tree);
        m_inspectedRoot->setText(NameColumn, tr("inspected models"));
        m_inspectedRoot->setToolTip(
            NameColumn, tr("Model folders dropped on the window, compared with the pool's pretrained model."));
    }
    QTreeWidgetItem *item = addCheckpoint(m_inspectedRoot, info.name, info);
    m_inspectedRoot->setExpanded(true);
    m_tree->scrollToItem(item);
}

void WorkspacePanel::showContextMenu(const QPoint &position)
{
    QTreeWidgetItem *item = m_tree->itemAt(position);
    if (!item)
        return;
    const QString path = item->data(NameColumn, kPathRole).toString();
    if (path.isEmpty())
        return;
    QMenu menu(this);
    menu.addAction(tr("Copy path"), this,
                   [path] { QGuiApplication::clipboard()->setText(QDir::toNativeSeparators(path)); });
    menu.addAction(tr("Open folder"), this, [path] {
        const QFileInfo info(path);
        QDesktopServices::openUrl(QUrl::fromLocalFile(info.isDir() ? info.absoluteFilePath() : info.absolutePath()));
    });
    menu.exec(m_tree->viewport()->mapToGlobal(position));
}

} // namespace wemoe::ui
