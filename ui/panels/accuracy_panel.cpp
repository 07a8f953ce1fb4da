#include "panels/accuracy_panel.h"

#include "common/error.h"
#include "models/accuracy_table_model.h"
#include "models/eliding_header_proxy.h"

#include <QtCore/QEvent>
#include <QtCore/QFileInfo>
#include <QtCore/QScopeGuard>
#include <QtCore/QSettings>
#include <QtCore/QSortFilterProxyModel>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtGui/QKeySequence>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QStyle>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace wemoe::ui {

namespace {

const QString kFolderKey = QStringLiteral("ui/tableExportFolder");

// Its text and tooltip: AccuracyPanel::retranslateUi().
QToolButton *toolButton(QWidget *parent, const QString &icon)
{
    auto *button = new QToolButton(parent);
    button->setIcon(QIcon(icon));
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return button;
}

} // namespace

AccuracyPanel::AccuracyPanel(AccuracyTableModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new ElidingHeaderProxy(this))
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_copy(toolButton(this, QStringLiteral(":/icons/copy.svg")))
    , m_save(toolButton(this, QStringLiteral(":/icons/table.svg")))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AccuracyTableModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // the order the rows were measured in, until a header is clicked
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive); // widths: fitColumns()
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setTextElideMode(Qt::ElideRight);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignCenter);
    m_view->verticalHeader()->setVisible(false);
    m_view->setWordWrap(false);
    connect(m_view, &QTableView::customContextMenuRequested, this, &AccuracyPanel::showContextMenu);

    connect(m_copy, &QToolButton::clicked, this, &AccuracyPanel::copyToClipboard);
    connect(m_save, &QToolButton::clicked, this, &AccuracyPanel::promptExport);
    auto *copyShortcut = new QAction(this);
    copyShortcut->setShortcut(QKeySequence::Copy);
    copyShortcut->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copyShortcut, &QAction::triggered, this, &AccuracyPanel::copyToClipboard);
    addAction(copyShortcut);

    auto *bar = new QHBoxLayout;
    m_summary->setWordWrap(true); // a long best-method label must not widen the window
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_copy);
    bar->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_model, &QAbstractItemModel::modelReset, this, &AccuracyPanel::updateSummary);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &AccuracyPanel::updateSummary);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &AccuracyPanel::updateSummary);
    // Queued: the view has taken the change in when the widths are measured.
    connect(m_model, &QAbstractItemModel::modelReset, this, &AccuracyPanel::fitColumns, Qt::QueuedConnection);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &AccuracyPanel::fitColumns, Qt::QueuedConnection);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &AccuracyPanel::fitColumns, Qt::QueuedConnection);
    retranslateUi();
}

void AccuracyPanel::retranslateUi()
{
    m_view->setToolTip(tr("Click a column header to sort. Bold cells are the best merge of each column "
                          "(the individual models are the reference, not a merge)."));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the selected cells (or the whole table as Markdown) to the clipboard (Ctrl+C)."));
    m_save->setText(tr("Export table…"));
    m_save->setToolTip(tr("Save the table as CSV, Markdown or JSON."));
    updateSummary();
}

void AccuracyPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        // The header's names change width: the columns are fitted again once the view has them.
        m_model->retranslate();
        QMetaObject::invokeMethod(this, &AccuracyPanel::fitColumns, Qt::QueuedConnection);
    }
    QWidget::changeEvent(event);
}

void AccuracyPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Queued: a hidden page gets its new size when shown, before its view has its own.
    QMetaObject::invokeMethod(this, &AccuracyPanel::fitColumns, Qt::QueuedConnection);
}

void AccuracyPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    QMetaObject::invokeMethod(this, &AccuracyPanel::fitColumns, Qt::QueuedConnection);
}

void AccuracyPanel::fitColumns()
{
    QHeaderView *header = m_view->horizontalHeader();
    const int columns = m_model->columnCount();
    if (columns == 0)
        return;
    bool anyRouting = false;
    for (const QString &mode : m_model->routingModes())
        anyRouting = anyRouting || !mode.isEmpty();
    m_view->setColumnHidden(AccuracyTableModel::RoutingColumn, !anyRouting);
    m_proxy->setHeaderWidths({}, header->font(), 0); // natural widths from the whole names
    m_view->resizeColumnsToContents();

    const int available = m_view->viewport()->width();
    int total = 0;
    for (int c = 0; c < columns; ++c)
        total += m_view->isColumnHidden(c) ? 0 : header->sectionSize(c);
    int excess = total - available;
    if (excess <= 0)
        return;
    const QFontMetrics metrics(m_view->font());
    const int padding = 2 * m_view->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header) + 6;
    // The headers of narrowed columns are cut to their widths at the end, whatever happens below.
    const auto cutHeaders = qScopeGuard([&] {
        QVector<int> widths(columns);
        for (int c = 0; c < columns; ++c)
            widths[c] = header->sectionSize(c);
        m_proxy->setHeaderWidths(widths, header->font(), padding);
    });
    // How narrow each column may get: a method name as long as
    // "task_arithmetic", a number, the average and normalised columns' names;
    // the routing column keeps its width.
    const int numberFloor = metrics.horizontalAdvance(QStringLiteral("100.0")) + padding;
    const QFontMetrics headerMetrics(header->font()); // the names are cut in the header's font
    QVector<int> sizes(columns), floors(columns);
    for (int c = 0; c < columns; ++c) {
        sizes[c] = header->sectionSize(c);
        if (m_view->isColumnHidden(c) || c == AccuracyTableModel::RoutingColumn)
            floors[c] = sizes[c];
        else if (c == AccuracyTableModel::MethodColumn)
            floors[c] = metrics.horizontalAdvance(QStringLiteral("task_arithmetic")) + padding;
        else if (c < m_model->averageColumn())
            floors[c] = numberFloor;
        else
            floors[c] = std::max(numberFloor, headerMetrics.horizontalAdvance(m_model->columnName(c)) + padding + 2);
    }
    // The widest column gives up a pixel at a time, so a long method name and
    // a long task name shrink together and the rest keep their natural width.
    while (excess > 0) {
        int widest = -1;
        for (int c = 0; c < columns; ++c) {
            if (sizes[c] > floors[c] && (widest < 0 || sizes[c] > sizes[widest]))
                widest = c;
        }
        if (widest < 0)
            break;
        --sizes[widest];
        --excess;
    }
    for (int c = 0; c < columns; ++c) {
        if (sizes[c] != header->sectionSize(c))
            header->resizeSection(c, sizes[c]);
    }
    // Still too wide (many tasks): the table scrolls.
}

void AccuracyPanel::updateSummary()
{
    const AccuracyTable &table = m_model->table();
    if (table.rows().isEmpty()) {
        m_summary->setText(table.tasks().isEmpty() ? tr("Open a pool, choose methods and press Run (F5).")
                                                   : tr("%n task(s). Press Run (F5) to measure the checked methods.",
                                                        nullptr, table.tasks().size()));
        return;
    }
    // The best merge by average accuracy, the number a reader looks for first.
    QString best;
    double bestAverage = -1.0;
    for (const AccuracyTable::Row &row : table.rows()) {
        const double average = table.average(row);
        if (row.method != AccuracyTable::kIndividualRow && std::isfinite(average) && average > bestAverage) {
            bestAverage = average;
            best = row.method;
        }
    }
    m_summary->setText(best.isEmpty()
                           ? tr("%n method(s) measured.", nullptr, table.rows().size())
                           : tr("%n method(s) measured; best average: %1 (%2 %).", nullptr, table.rows().size())
                                 .arg(best)
                                 .arg(bestAverage * 100.0, 0, 'f', 1));
}

void AccuracyPanel::copyToClipboard()
{
    const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
    const QString text = selected.isEmpty() ? m_model->table().toMarkdown() : m_model->toTsv(selected);
    QGuiApplication::clipboard()->setText(text);
}

void AccuracyPanel::promptExport()
{
    if (m_model->table().rows().isEmpty()) {
        QMessageBox::information(this, tr("Export table"), tr("The table is empty: run some methods first."));
        return;
    }
    QSettings settings;
    QString selectedFilter;
    QString file = QFileDialog::getSaveFileName(
        this, tr("Export table"), QDir(settings.value(kFolderKey).toString()).filePath(QStringLiteral("accuracy.csv")),
        tr("CSV table (*.csv);;Markdown table (*.md);;JSON (*.json)"), &selectedFilter);
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += selectedFilter.contains(QLatin1String("*.md"))     ? QStringLiteral(".md")
                : selectedFilter.contains(QLatin1String("*.json")) ? QStringLiteral(".json")
                                                                   : QStringLiteral(".csv");
    try {
        m_model->table().save(file);
        settings.setValue(kFolderKey, QFileInfo(file).absolutePath());
    } catch (const Error &e) {
        QMessageBox::warning(this, tr("Export table"), e.message());
    }
}

void AccuracyPanel::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    QMenu menu(this);
    menu.addAction(QIcon(QStringLiteral(":/icons/copy.svg")), tr("Copy"), this, &AccuracyPanel::copyToClipboard);
    menu.addAction(QIcon(QStringLiteral(":/icons/table.svg")), tr("Export table…"), this, &AccuracyPanel::promptExport);
    if (index.isValid()) {
        const QString label = m_proxy->index(index.row(), AccuracyTableModel::MethodColumn).data().toString();
        if (label != AccuracyTable::kIndividualRow) {
            menu.addSeparator();
            menu.addAction(QIcon(QStringLiteral(":/icons/export.svg")), tr("Export the model of “%1”…").arg(label),
                           this, [this, label] { Q_EMIT exportModelRequested(label); });
        }
    }
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

} // namespace wemoe::ui
