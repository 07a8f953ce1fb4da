#include "plots/heatmap_widget.h"

#include "plots/qcustomplot_wrapper.h"

#include <QtGui/QFontMetrics>
#include <QtGui/QHelpEvent>
#include <QtWidgets/QToolTip>

#include <algorithm>
#include <cmath>

namespace wemoe::ui {

namespace {

// ColorBrewer RdBu (reversed): negative blue, zero white, positive red.
QCPColorGradient divergingGradient()
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(0x05, 0x30, 0x61));
    gradient.setColorStopAt(0.15, QColor(0x21, 0x66, 0xac));
    gradient.setColorStopAt(0.3, QColor(0x67, 0xa9, 0xcf));
    gradient.setColorStopAt(0.42, QColor(0xd1, 0xe5, 0xf0));
    gradient.setColorStopAt(0.5, QColor(0xf7, 0xf7, 0xf7));
    gradient.setColorStopAt(0.58, QColor(0xfd, 0xdb, 0xc7));
    gradient.setColorStopAt(0.7, QColor(0xef, 0x8a, 0x62));
    gradient.setColorStopAt(0.85, QColor(0xb2, 0x18, 0x2b));
    gradient.setColorStopAt(1.0, QColor(0x67, 0x00, 0x1f));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(QColor(0xdd, 0xdd, 0xdd));
    return gradient;
}

// ColorBrewer Blues: white to dark blue, for shares and other non-negative data.
QCPColorGradient sequentialGradient()
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(0xf7, 0xfb, 0xff));
    gradient.setColorStopAt(0.25, QColor(0xc6, 0xdb, 0xef));
    gradient.setColorStopAt(0.5, QColor(0x6b, 0xae, 0xd6));
    gradient.setColorStopAt(0.75, QColor(0x21, 0x71, 0xb5));
    gradient.setColorStopAt(1.0, QColor(0x08, 0x30, 0x6b));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(QColor(0xdd, 0xdd, 0xdd));
    return gradient;
}

// Tick labels only where they stay readable; every one when each has its own line.
QSharedPointer<QCPAxisTickerText> labelTicker(const QStringList &labels, int count, bool eachFits = false)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int stride = count > 40 && !eachFits ? (count + 19) / 20 : 1;
    for (int i = 0; i < count; i += stride)
        ticker->addTick(i, i < labels.size() ? labels.at(i) : QString::number(i));
    return ticker;
}

// Rows above which the column labels are repeated above the map.
constexpr int kRowsForTopLabels = 24;

QString formatValue(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 4) : QStringLiteral("\u2014");
}

} // namespace

HeatmapWidget::HeatmapWidget(QWidget *parent)
    : PlotWidget(parent)
    , m_colorMap(new QCPColorMap(plot()->xAxis, plot()->yAxis))
    , m_colorScale(new QCPColorScale(plot()))
{
    setExportName(QStringLiteral("heatmap"));
    QCustomPlot *p = plot();
    p->plotLayout()->addElement(0, 1, m_colorScale);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setBarWidth(14);
    m_colorMap->setColorScale(m_colorScale);
    m_colorMap->setInterpolate(false);
    m_colorMap->setTightBoundary(false);
    // Keep the colour bar as tall as the matrix.
    auto *margins = new QCPMarginGroup(p);
    p->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_colorScale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    p->yAxis->setRangeReversed(true); // row 0 on top, as in a table
    p->xAxis->grid()->setVisible(false);
    p->yAxis->grid()->setVisible(false);
    p->xAxis->setTickLength(0, 3);
    p->yAxis->setTickLength(0, 3);
    p->xAxis->setSubTicks(false);
    p->yAxis->setSubTicks(false);
    p->setMouseTracking(true);
    p->installEventFilter(this);
    connect(p, &QCustomPlot::afterLayout, this, &HeatmapWidget::fitValuesToCells);
    setDefaultPlaceholderText(tr("No data yet."));
}

void HeatmapWidget::retranslateUi()
{
    PlotWidget::retranslateUi();
    setDefaultPlaceholderText(tr("No data yet."));
    // The matrix's own titles stay as they were made; the colour bar's title is the widget's.
    if (hasData())
        rebuild();
}

bool HeatmapWidget::valuesShown() const
{
    return !m_values.isEmpty() && m_values.first()->visible();
}

void HeatmapWidget::fitValuesToCells()
{
    if (m_values.isEmpty())
        return;
    const QCustomPlot *p = plot();
    const double cellWidth = std::abs(p->xAxis->coordToPixel(1.0) - p->xAxis->coordToPixel(0.0));
    const double cellHeight = std::abs(p->yAxis->coordToPixel(1.0) - p->yAxis->coordToPixel(0.0));
    const QFontMetrics metrics(m_values.first()->font());
    const bool fits = cellWidth >= metrics.horizontalAdvance(QStringLiteral("-0.00")) + 2
                      && cellHeight >= metrics.height();
    for (QCPItemText *text : m_values)
        text->setVisible(fits);
}

void HeatmapWidget::setMatrix(const HeatMatrix &matrix, Scale scale)
{
    m_matrix = matrix;
    m_scale = scale;
    rebuild();
}

void HeatmapWidget::setFixedRange(double lower, double upper)
{
    m_fixedLower = lower;
    m_fixedUpper = upper;
    rebuild();
}

void HeatmapWidget::setShowValues(bool show)
{
    m_showValues = show;
    rebuild();
}

void HeatmapWidget::setMaximumGrowth(int height)
{
    m_maximumHeight = height;
    rebuild();
}

void HeatmapWidget::setCentre(const Centre &centre)
{
    m_centre = centre;
    rebuild();
}

void HeatmapWidget::setSharedExtent(double extent)
{
    m_sharedExtent = extent;
    rebuild();
}

double HeatmapWidget::centreOf(int row) const
{
    switch (m_centre.kind) {
    case Centre::Kind::Zero: return 0.0;
    case Centre::Kind::Value: return m_centre.value;
    case Centre::Kind::RowMean: {
        double sum = 0.0;
        int count = 0;
        for (int c = 0; c < m_matrix.columns; ++c) {
            const double v = m_matrix.at(row, c);
            if (std::isfinite(v)) {
                sum += v;
                ++count;
            }
        }
        return count > 0 ? sum / count : 0.0;
    }
    }
    return 0.0;
}

double HeatmapWidget::deviationExtent() const
{
    double extent = 0.0;
    for (int r = 0; r < m_matrix.rows; ++r) {
        const double centre = centreOf(r);
        for (int c = 0; c < m_matrix.columns; ++c) {
            const double v = m_matrix.at(r, c);
            if (std::isfinite(v))
                extent = std::max(extent, std::abs(v - centre));
        }
    }
    return extent;
}

std::pair<double, double> HeatmapWidget::colorRange() const
{
    const QCPRange range = m_colorMap->dataRange();
    return {range.lower, range.upper};
}

void HeatmapWidget::rebuild()
{
    QCustomPlot *p = plot();
    p->clearItems();
    m_values.clear();
    const int rows = m_matrix.rows;
    const int columns = m_matrix.columns;
    QCPColorMapData *data = m_colorMap->data();
    data->clear();
    if (m_matrix.isEmpty()) {
        p->replot();
        refreshVisibility();
        return;
    }
    // Cell (column, row) is centred on the integer coordinates (column, row).
    data->setSize(columns, rows);
    // QCustomPlot centres the first and last cells on the range's bounds; a
    // single cell gets a range one cell wide around its centre instead (an
    // empty range would draw nothing).
    const auto cellRange = [](int count) { return count > 1 ? QCPRange(0, count - 1) : QCPRange(-0.5, 0.5); };
    data->setRange(cellRange(columns), cellRange(rows));
    // A diverging map colours each cell by its distance from the centre.
    const bool diverging = m_scale == Scale::Diverging;
    for (int r = 0; r < rows; ++r) {
        const double centre = diverging ? centreOf(r) : 0.0;
        for (int c = 0; c < columns; ++c)
            data->setCell(c, r, m_matrix.at(r, c) - centre);
    }

    if (diverging) {
        double extent = m_sharedExtent > 0.0 ? m_sharedExtent : deviationExtent();
        if (!(extent > 0.0))
            extent = 1.0; // every cell at the centre: any symmetric range shows them white
        m_colorMap->setGradient(divergingGradient());
        m_colorMap->setDataRange(QCPRange(-extent, extent));
    } else {
        double lower = m_fixedLower;
        double upper = m_fixedUpper;
        if (!(upper > lower)) {
            lower = m_matrix.minValue();
            upper = m_matrix.maxValue();
            if (!(upper > lower))
                upper = lower + 1.0;
        }
        m_colorMap->setGradient(sequentialGradient());
        m_colorMap->setDataRange(QCPRange(lower, upper));
    }
    QString scaleTitle = m_matrix.valueTitle;
    if (diverging && m_centre.kind == Centre::Kind::Value)
        scaleTitle = tr("%1 − %2").arg(m_matrix.valueTitle,
                                       m_centre.name.isEmpty() ? QString::number(m_centre.value) : m_centre.name);
    else if (diverging && m_centre.kind == Centre::Kind::RowMean)
        scaleTitle = tr("%1 − its %2's mean").arg(m_matrix.valueTitle, m_matrix.rowTitle);
    m_colorScale->axis()->setLabel(scaleTitle);

    p->xAxis->setTicker(labelTicker(m_matrix.columnLabels, columns));
    p->xAxis->setRange(-0.5, columns - 0.5);
    p->yAxis->setRange(-0.5, rows - 0.5);
    p->xAxis->setLabel(m_matrix.columnTitle);
    p->yAxis->setLabel(m_matrix.rowTitle);
    // Long column labels (task names) stand up instead of overlapping.
    int longest = 0;
    for (const QString &label : m_matrix.columnLabels)
        longest = std::max(longest, int(label.size()));
    const bool standing = longest * columns > 60;
    p->xAxis->setTickLabelRotation(standing ? -45.0 : 0.0);
    // A tall map names its columns on top too: the page scrolls, and the
    // bottom labels are then out of view.
    const bool tall = rows > kRowsForTopLabels;
    p->xAxis2->setVisible(tall);
    if (tall) {
        p->xAxis2->setTicker(labelTicker(m_matrix.columnLabels, columns));
        p->xAxis2->setTickLabels(true);
        p->xAxis2->setTickLength(0, 3);
        p->xAxis2->setSubTicks(false);
        p->xAxis2->grid()->setVisible(false);
        p->xAxis2->setRange(-0.5, columns - 0.5);
        p->xAxis2->setTickLabelRotation(standing ? -45.0 : 0.0);
    }
    // Tall enough for a readable row each (the page scrolls in a small window
    // instead of squashing 24 layers into 30 pixels).
    const QFontMetrics metrics(p->xAxis->tickLabelFont());
    const int labels = (standing ? int(longest * metrics.averageCharWidth() * 0.72) : metrics.height())
                       * (tall ? 2 : 1);
    // The colour bar stands beside the matrix: its title needs that height too.
    const int matrixHeight = std::max(rows * (metrics.height() + 2),
                                      QFontMetrics(m_colorScale->axis()->labelFont()).horizontalAdvance(scaleTitle));
    const int wanted = matrixHeight + labels + 3 * metrics.height() + 24;
    setMinimumHeight(std::clamp(wanted, 160, std::max(160, m_maximumHeight)));
    p->yAxis->setTicker(labelTicker(m_matrix.rowLabels, rows, wanted <= m_maximumHeight));

    if (m_showValues && rows * columns <= 2500) {
        QCPColorGradient gradient = m_colorMap->gradient(); // color() is not const in QCustomPlot 2.1
        const QCPRange range = m_colorMap->dataRange();
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < columns; ++c) {
                const double v = m_matrix.at(r, c);
                auto *text = new QCPItemText(p);
                text->position->setCoords(c, r);
                // Rounded to two decimals; "-0.00" would suggest a sign the value does not have.
                const double shown = std::abs(v) < 0.005 ? 0.0 : v;
                text->setText(std::isfinite(v) ? QString::number(shown, 'f', 2) : QString());
                // Dark text on light cells, light text on dark ones.
                const QColor cell = QColor::fromRgb(gradient.color(data->cell(c, r), range)); // what is drawn
                text->setColor(cell.lightnessF() > 0.55 ? QColor(0x20, 0x20, 0x20) : Qt::white);
                text->setClipToAxisRect(true);
                m_values.push_back(text);
            }
        }
    }
    p->replot();
    refreshVisibility();
}

bool HeatmapWidget::cellAt(const QPoint &position, int *row, int *column) const
{
    if (m_matrix.isEmpty() || !plot()->axisRect()->rect().contains(position))
        return false;
    const int c = static_cast<int>(std::lround(plot()->xAxis->pixelToCoord(position.x())));
    const int r = static_cast<int>(std::lround(plot()->yAxis->pixelToCoord(position.y())));
    if (r < 0 || r >= m_matrix.rows || c < 0 || c >= m_matrix.columns)
        return false;
    *row = r;
    *column = c;
    return true;
}

QString HeatmapWidget::cellToolTip(int row, int column) const
{
    // The full name: a shortened axis label is read in full here.
    const QString rowPart = m_matrix.rowTitle.isEmpty() ? m_matrix.rowName(row)
                                                        : m_matrix.rowTitle + QLatin1Char(' ') + m_matrix.rowName(row);
    const QString columnPart = m_matrix.columnTitle.isEmpty()
                                   ? m_matrix.columnLabel(column)
                                   : m_matrix.columnTitle + QLatin1Char(' ') + m_matrix.columnLabel(column);
    const double value = m_matrix.at(row, column);
    if (m_scale == Scale::Diverging && m_centre.kind != Centre::Kind::Zero && std::isfinite(value)) {
        const double deviation = value - centreOf(row);
        return tr("%1, %2: %3 (%4%5 from the centre)")
            .arg(rowPart, columnPart, formatValue(value), deviation >= 0 ? QStringLiteral("+") : QString(),
                 formatValue(deviation));
    }
    return tr("%1, %2: %3").arg(rowPart, columnPart, formatValue(value));
}

bool HeatmapWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == plot() && (event->type() == QEvent::ToolTip || event->type() == QEvent::MouseMove)) {
        QPoint position;
        QPoint global;
        if (event->type() == QEvent::ToolTip) {
            const auto *help = static_cast<QHelpEvent *>(event);
            position = help->pos();
            global = help->globalPos();
        } else {
            const auto *mouse = static_cast<QMouseEvent *>(event);
            position = mouse->position().toPoint();
            global = mouse->globalPosition().toPoint();
        }
        int row = 0, column = 0;
        if (cellAt(position, &row, &column))
            QToolTip::showText(global, cellToolTip(row, column), plot());
        else
            QToolTip::hideText();
        if (event->type() == QEvent::ToolTip)
            return true;
    }
    return PlotWidget::eventFilter(watched, event);
}

} // namespace wemoe::ui
