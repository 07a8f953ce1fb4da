#include "panels/coefficient_panel.h"

#include "plots/heatmap_widget.h"

#include <QtCore/QEvent>
#include <QtCore/QSignalBlocker>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

namespace {

// More tensors than this and each gets a line too thin for its number:
// the block means come first (the tensors stay one click away).
constexpr int kReadableTensorRows = 40;
// Tall enough for every tensor of a ViT-L/14 layer-wise run on its own line;
// the page scrolls.
constexpr int kTallestMap = 8000;

} // namespace

CoefficientPanel::CoefficientPanel(QWidget *parent)
    : QWidget(parent)
    , m_run(new QComboBox(this))
    , m_rows(new QComboBox(this))
    , m_colours(new QComboBox(this))
    , m_open(new QPushButton(this))
    , m_runLabel(new QLabel(this))
    , m_rowsLabel(new QLabel(this))
    , m_coloursLabel(new QLabel(this))
    , m_size(new QLabel(this))
    , m_title(new QLabel(this))
    , m_heatmap(new HeatmapWidget(this))
{
    // Texts and tooltips: retranslateUi().
    m_heatmap->setExportName(QStringLiteral("adamerging-lambda"));
    m_heatmap->setShowValues(true);
    m_heatmap->setMaximumGrowth(kTallestMap);
    // Run labels are long ("adamerging (layer-wise, 100 steps, lr 0.001) — model/…"):
    // the box takes the row's width instead of widening the page.
    m_run->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_run->setMinimumContentsLength(24);
    for (int i = 0; i < 2; ++i)
        m_rows->addItem(QString());
    for (int i = 0; i < 3; ++i)
        m_colours->addItem(QString());
    m_rows->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_colours->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    auto *runBar = new QHBoxLayout;
    m_runLabel->setBuddy(m_run);
    runBar->addWidget(m_runLabel);
    runBar->addWidget(m_run, 1);
    runBar->addWidget(m_open);

    auto *viewBar = new QHBoxLayout;
    m_rowsLabel->setBuddy(m_rows);
    viewBar->addWidget(m_rowsLabel);
    viewBar->addWidget(m_rows);
    viewBar->addSpacing(16);
    m_coloursLabel->setBuddy(m_colours);
    viewBar->addWidget(m_coloursLabel);
    viewBar->addWidget(m_colours);
    viewBar->addSpacing(16);
    m_size->setTextInteractionFlags(Qt::TextSelectableByMouse);
    viewBar->addWidget(m_size, 1);

    auto *titleBar = new QHBoxLayout;
    m_title->setWordWrap(true); // a long title must not widen the window
    titleBar->addWidget(m_title, 1);
    titleBar->addWidget(m_heatmap->createExportButtons(this));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(runBar);
    layout->addLayout(viewBar);
    layout->addLayout(titleBar);
    layout->addWidget(m_heatmap, 1);

    connect(m_run, &QComboBox::activated, this, &CoefficientPanel::selectRun);
    connect(m_run, &QComboBox::currentIndexChanged, this, &CoefficientPanel::showTable);
    connect(m_rows, &QComboBox::activated, this, [this] { m_rowsByHand = true; });
    connect(m_rows, &QComboBox::currentIndexChanged, this, &CoefficientPanel::showTable);
    connect(m_colours, &QComboBox::currentIndexChanged, this, &CoefficientPanel::showTable);
    connect(m_open, &QPushButton::clicked, this, &CoefficientPanel::openRequested);
    m_run->setEnabled(false);
    retranslateUi();
}

void CoefficientPanel::retranslateUi()
{
    m_runLabel->setText(tr("Run:"));
    m_run->setToolTip(tr("The AdaMerging run whose learned λ are shown, or a saved coefficient file. The newest "
                         "is shown as runs finish, until you pick another."));
    m_open->setText(tr("Open coefficients…"));
    m_open->setToolTip(tr("Show the λ saved beside an exported AdaMerging model (adamerging-coefficients.json). "
                          "Dropping the file on the window, or File ▸ Open, does the same."));
    m_rowsLabel->setText(tr("Rows:"));
    m_rows->setItemText(0, tr("each tensor"));
    m_rows->setItemText(1, tr("mean per block"));
    m_rows->setToolTip(tr("One row per parameter tensor, as layer-wise AdaMerging learns them, or the mean λ of "
                          "each transformer block's tensors (the tooltip and the exported CSV name every row in "
                          "full)."));
    m_coloursLabel->setText(tr("Colours:"));
    m_colours->setItemText(0, tr("deviation from λ₀"));
    m_colours->setItemText(1, tr("λ (its range in the map)"));
    m_colours->setItemText(2, tr("deviation from the row's mean"));
    m_colours->setToolTip(tr("What the colours measure: how far each λ moved from the initial λ₀ it was learned "
                             "from (white: not at all), λ itself from the smallest to the largest shown, or how far "
                             "each task's λ is from the mean over the tasks of its row (which task a tensor leans "
                             "to). Cells show λ either way. A saved file does not record λ₀: it is shown on its "
                             "range."));
    m_heatmap->setPlaceholderText(tr("The merging coefficients λ appear here after an AdaMerging run, or open an "
                                     "exported model's adamerging-coefficients.json (File ▸ Open, or drop it on "
                                     "the window)."));
    m_title->setText(QStringLiteral("<b>%1</b>").arg(tr("Learned merging coefficients λ").toHtmlEscaped()));
    m_title->setToolTip(tr("AdaMerging merges θ = θ₀ + Σₜ λₜ τₜ and learns the λ by minimising the prediction "
                           "entropy on unlabeled test images: one λ per task (task-wise, a single row \"all\"), or "
                           "one per task and parameter tensor (layer-wise)."));
    showTable(); // the map's titles ("tensor", "task") are made with it
}

void CoefficientPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

const CoefficientTable *CoefficientPanel::currentTable() const
{
    const int run = m_run->currentIndex();
    return run >= 0 && run < m_tables.size() ? &m_tables.at(run) : nullptr;
}

void CoefficientPanel::setTables(const QVector<CoefficientTable> &tables)
{
    const CoefficientTable *before = currentTable();
    const QString shown = before ? before->displayName() : QString();
    m_tables = tables;
    QStringList names;
    for (const CoefficientTable &table : tables)
        names << table.displayName();
    int current = names.indexOf(shown);
    if (m_followNewest || current < 0) {
        current = names.size() - 1;
        m_followNewest = true;
    }
    {
        const QSignalBlocker quiet(m_run); // one redraw below
        m_run->clear();
        m_run->addItems(names);
        for (int run = 0; run < names.size(); ++run)
            m_run->setItemData(run, tables.at(run).source.isEmpty() ? names.at(run) : tables.at(run).source,
                               Qt::ToolTipRole);
        m_run->setCurrentIndex(current);
    }
    m_run->setEnabled(!tables.isEmpty());
    showTable();
}

void CoefficientPanel::selectRun(int run)
{
    if (run < 0 || run >= m_tables.size())
        return;
    m_followNewest = run == m_tables.size() - 1; // back on the newest: follow again
    m_run->setCurrentIndex(run);
}

void CoefficientPanel::setRows(CoefficientRows rows)
{
    m_rowsByHand = true;
    m_rows->setCurrentIndex(rows == CoefficientRows::BlockMean ? 1 : 0);
}

CoefficientRows CoefficientPanel::defaultRows() const
{
    const CoefficientTable *table = currentTable();
    return table && table->groups.size() > kReadableTensorRows ? CoefficientRows::BlockMean
                                                               : CoefficientRows::EachTensor;
}

void CoefficientPanel::showTable()
{
    const CoefficientTable *table = currentTable();
    if (!table) {
        m_heatmap->setMatrix(HeatMatrix());
        m_size->clear();
        m_rows->setEnabled(false);
        return;
    }
    if (!m_rowsByHand) {
        const QSignalBlocker quiet(m_rows);
        m_rows->setCurrentIndex(defaultRows() == CoefficientRows::BlockMean ? 1 : 0);
    }
    // Task-wise has one row: there is nothing to average.
    m_rows->setEnabled(table->groups.size() > 1);
    const CoefficientRows rows = m_rows->currentIndex() == 1 && table->groups.size() > 1 ? CoefficientRows::BlockMean
                                                                                         : CoefficientRows::EachTensor;
    const HeatMatrix matrix = coefficientMatrix(*table, rows);
    HeatmapWidget::Centre centre;
    HeatmapWidget::Scale scale = HeatmapWidget::Scale::Diverging;
    if (m_colours->currentIndex() == 0 && table->knowsInitLambda()) {
        centre.kind = HeatmapWidget::Centre::Kind::Value;
        centre.value = table->initLambda;
        centre.name = QStringLiteral("λ₀ (%1)").arg(table->initLambda);
    } else if (m_colours->currentIndex() == 2) {
        centre.kind = HeatmapWidget::Centre::Kind::RowMean;
    } else {
        scale = HeatmapWidget::Scale::Sequential; // λ itself (or λ₀ unknown)
    }
    m_heatmap->setCentre(centre);
    m_heatmap->setMatrix(matrix, scale);
    const int tasks = table->tasks.size();
    m_size->setText(table->groups.size() == 1
                        ? tr("task-wise: one λ for each of %n task(s)", nullptr, tasks)
                        : tr("layer-wise: %1 tensors × %n task(s)", nullptr, tasks).arg(table->groups.size()));
    m_size->setToolTip(table->source.isEmpty() ? tr("Learned by this session's run %1.").arg(table->method)
                                               : tr("Read from %1.").arg(table->source));
}

} // namespace wemoe::ui
