#include "plots/line_plot_widget.h"

#include "models/heat_matrix.h"
#include "plots/qcustomplot_wrapper.h"

#include <QtGui/QFontMetrics>
#include <QtGui/QKeyEvent>
#include <QtGui/QMouseEvent>
#include <QtWidgets/QMenu>
#include <QtWidgets/QToolTip>

#include <cmath>
#include <limits>

namespace wemoe::ui {

namespace {

// Tableau 10: distinct, print-friendly, colour-blind tolerable.
const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                           QColor(0x17, 0xbe, 0xcf)};

bool sameX(const QVector<LineSeries> &series)
{
    for (const LineSeries &s : series) {
        if (s.x != series.first().x)
            return false;
    }
    return true;
}

QString number(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 9) : QString();
}

} // namespace

LinePlotWidget::LinePlotWidget(QWidget *parent)
    : PlotWidget(parent)
{
    plot()->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // The legend sits right of the plot, never over the lines.
    QCPLegend *legend = plot()->legend;
    legend->setVisible(true);
    legend->setFont(font());
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    plot()->axisRect()->insetLayout()->take(legend);
    auto *side = new QCPLayoutGrid;
    plot()->plotLayout()->addElement(0, 1, side);
    side->addElement(0, 0, legend);
    side->addElement(1, 0, new QCPLayoutElement(plot())); // pushes the legend to the top
    side->setRowStretchFactor(0, 0.01);
    side->setMargins(QMargins(0, 10, 6, 0));
    plot()->plotLayout()->setColumnStretchFactor(1, 0.001);

    // A legend entry toggles its series.
    plot()->setInteraction(QCP::iSelectLegend, false);
    connect(plot()->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            &LinePlotWidget::alignMarkerLabel);
    connect(plot(), &QCustomPlot::legendClick, this, [this](QCPLegend *, QCPAbstractLegendItem *item, QMouseEvent *) {
        auto *entry = qobject_cast<QCPPlottableLegendItem *>(item);
        const int index = entry ? seriesOfGraph(entry->plottable()) : -1;
        if (index >= 0)
            setSeriesVisible(m_series.at(index).name, !isSeriesVisible(m_series.at(index).name));
    });
    plot()->setMouseTracking(true);
    plot()->setFocusPolicy(Qt::ClickFocus);
    plot()->installEventFilter(this);
}

void LinePlotWidget::setLogY(bool logarithmic)
{
    m_logY = logarithmic;
    rebuild();
}

void LinePlotWidget::setIntegerX(bool integer)
{
    m_integerX = integer;
    rebuild();
}

void LinePlotWidget::setSeriesVisible(const QString &name, bool visible)
{
    m_hidden.removeAll(name);
    if (!visible)
        m_hidden.append(name);
    rebuild();
}

void LinePlotWidget::resetView()
{
    rebuild();
}

QString LinePlotWidget::readoutAt(const QPoint &position) const
{
    const QCustomPlot *p = plot();
    double best = 20.0 * 20.0;
    QString text;
    for (int g = 0; g < p->graphCount(); ++g) {
        const QCPGraph *graph = p->graph(g);
        if (!graph->visible())
            continue;
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
            if (!std::isfinite(it->value) || (m_logY && it->value <= 0))
                continue;
            const double dx = p->xAxis->coordToPixel(it->key) - position.x();
            const double dy = p->yAxis->coordToPixel(it->value) - position.y();
            if (dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                text = QStringLiteral("%1 — %2 %3: %4")
                           .arg(m_series.value(g).name, m_xLabel, QString::number(it->key, 'g', 6),
                                QString::number(it->value, 'g', 6));
            }
        }
    }
    return text;
}

void LinePlotWidget::addContextActions(QMenu *menu)
{
    menu->addAction(tr("Show all the data (double-click, Home)"), this, &LinePlotWidget::resetView);
    QAction *log = menu->addAction(tr("Logarithmic y axis"), this, [this](bool on) { setLogY(on); });
    log->setCheckable(true);
    log->setChecked(m_logY);
    if (!m_hidden.isEmpty())
        menu->addAction(tr("Show every series"), this, [this] {
            m_hidden.clear();
            rebuild();
        });
}

bool LinePlotWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == plot()) {
        switch (event->type()) {
        case QEvent::MouseButtonDblClick: resetView(); return true;
        case QEvent::KeyPress:
            if (static_cast<QKeyEvent *>(event)->key() == Qt::Key_Home) {
                resetView();
                return true;
            }
            break;
        case QEvent::MouseButtonPress:
            // Shift+drag draws a box to zoom into; a plain drag pans.
            plot()->setSelectionRectMode(
                static_cast<QMouseEvent *>(event)->modifiers() & Qt::ShiftModifier ? QCP::srmZoom : QCP::srmNone);
            break;
        case QEvent::MouseMove: {
            const auto *mouse = static_cast<QMouseEvent *>(event);
            if (mouse->buttons() == Qt::NoButton) {
                const QString text = readoutAt(mouse->position().toPoint());
                if (text.isEmpty())
                    QToolTip::hideText();
                else
                    QToolTip::showText(mouse->globalPosition().toPoint(), text, plot());
            }
            break;
        }
        default: break;
        }
    }
    return PlotWidget::eventFilter(watched, event);
}

int LinePlotWidget::seriesOfGraph(const QCPAbstractPlottable *graph) const
{
    // One graph per series, in order (rebuild).
    for (int g = 0; g < plot()->graphCount() && g < m_series.size(); ++g) {
        if (plot()->graph(g) == graph)
            return g;
    }
    return -1;
}

QColor LinePlotWidget::seriesColor(int index)
{
    constexpr int count = sizeof(kPalette) / sizeof(kPalette[0]);
    return kPalette[index % count];
}

void LinePlotWidget::setSeries(const QVector<LineSeries> &series, const QString &xLabel, const QString &yLabel)
{
    m_series = series;
    m_xLabel = xLabel;
    m_yLabel = yLabel;
    rebuild();
}

void LinePlotWidget::setMarker(double x, const QString &label)
{
    m_hasMarker = true;
    m_markerX = x;
    m_markerLabel = label;
    rebuild();
}

void LinePlotWidget::clearMarker()
{
    m_hasMarker = false;
    rebuild();
}

void LinePlotWidget::setYRange(double lower, double upper)
{
    m_yLower = lower;
    m_yUpper = upper;
    rebuild();
}

bool LinePlotWidget::hasData() const
{
    for (const LineSeries &s : m_series) {
        if (!s.x.isEmpty())
            return true;
    }
    return false;
}

void LinePlotWidget::alignMarkerLabel()
{
    if (!m_markerText)
        return;
    const QCPRange visible = plot()->xAxis->range();
    const bool rightHalf = m_markerX > visible.center();
    m_markerText->setPositionAlignment((rightHalf ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
}

void LinePlotWidget::rebuild()
{
    QCustomPlot *p = plot();
    m_markerText = nullptr; // clearItems() below deletes it
    p->clearGraphs();
    p->clearItems();
    int colorIndex = 0;
    const QFontMetrics legendMetrics(p->legend->font());
    const int legendWidth = 36 * legendMetrics.averageCharWidth();
    double xMin = 0.0, xMax = 0.0;
    bool anyX = false;
    for (const LineSeries &s : m_series) {
        QCPGraph *graph = p->addGraph();
        // A long name (a run's full label) is cut in the legend so the plot keeps
        // its width; the read-out and the export use it whole.
        graph->setName(legendMetrics.elidedText(s.name, Qt::ElideMiddle, legendWidth));
        graph->setData(s.x, s.y, true);
        const bool hidden = m_hidden.contains(s.name);
        graph->setVisible(!hidden);
        QPen pen(s.color.isValid() ? s.color : s.emphasized ? QColor(0x20, 0x20, 0x20) : seriesColor(colorIndex++));
        pen.setWidthF(s.emphasized ? 3.0 : 1.6);
        graph->setPen(pen);
        // Markers matter when a sweep has few points; they clutter long loss curves.
        if (s.x.size() <= 40)
            graph->setScatterStyle(QCPScatterStyle(s.emphasized ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssCircle,
                                                   s.emphasized ? 7 : 5));
        // A hidden series keeps its legend entry, greyed, to be clicked back.
        if (QCPAbstractLegendItem *item = p->legend->itemWithPlottable(graph))
            item->setTextColor(hidden ? QColor(0xaa, 0xaa, 0xaa) : QColor(0x20, 0x20, 0x20));
        if (hidden)
            continue;
        for (const double x : s.x) {
            xMin = anyX ? std::min(xMin, x) : x;
            xMax = anyX ? std::max(xMax, x) : x;
            anyX = true;
        }
    }
    p->xAxis->setLabel(m_xLabel);
    p->yAxis->setLabel(m_yLabel);
    if (m_integerX) {
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples); // 1, 2, 5, 10 ... × 1: never 1.5
        p->xAxis->setTicker(ticker);
    } else {
        p->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    p->yAxis->setScaleType(m_logY ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (m_logY)
        p->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        p->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    if (anyX) {
        const double pad = xMax > xMin ? 0.03 * (xMax - xMin) : 0.5;
        p->xAxis->setRange(xMin - pad, xMax + pad);
    }
    if (m_yUpper > m_yLower) {
        p->yAxis->setRange(m_yLower, m_yUpper);
    } else {
        bool found = false;
        QCPRange all;
        const QCP::SignDomain domain = m_logY ? QCP::sdPositive : QCP::sdBoth;
        for (int i = 0; i < p->graphCount(); ++i) {
            if (!p->graph(i)->visible())
                continue;
            bool f = false;
            const QCPRange r = p->graph(i)->getValueRange(f, domain);
            if (f) {
                all = found ? QCPRange(std::min(all.lower, r.lower), std::max(all.upper, r.upper)) : r;
                found = true;
            }
        }
        if (found && m_logY) {
            p->yAxis->setRange(all.lower / 1.3, all.upper * 1.3);
        } else if (found) {
            const double pad = all.size() > 0 ? 0.08 * all.size() : 0.5;
            p->yAxis->setRange(all.lower - pad, all.upper + pad);
        }
    }
    if (m_hasMarker) {
        auto *line = new QCPItemStraightLine(p);
        line->point1->setCoords(m_markerX, 0.0);
        line->point2->setCoords(m_markerX, 1.0);
        QPen pen(QColor(0x55, 0x55, 0x55));
        pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        auto *text = new QCPItemText(p);
        m_markerText = text;
        text->position->setTypeX(QCPItemPosition::ptPlotCoords);
        text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(m_markerX, 0.02);
        text->setPadding(QMargins(4, 2, 4, 2));
        text->setText(m_markerLabel);
        text->setColor(QColor(0x33, 0x33, 0x33));
        alignMarkerLabel();
    }
    p->legend->setVisible(m_series.size() > 1);
    p->replot();
    refreshVisibility();
}

QString LinePlotWidget::dataCsv() const
{
    if (m_series.isEmpty())
        return {};
    QString text;
    if (sameX(m_series)) {
        QStringList header{csvField(m_xLabel.isEmpty() ? QStringLiteral("x") : m_xLabel)};
        for (const LineSeries &s : m_series)
            header << csvField(s.name);
        text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
        const QVector<double> &x = m_series.first().x;
        for (int i = 0; i < x.size(); ++i) {
            QStringList cells{number(x.at(i))};
            for (const LineSeries &s : m_series)
                cells << number(s.y.value(i, std::nan("")));
            text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
        return text;
    }
    text = QStringLiteral("series,%1,%2\n")
               .arg(csvField(m_xLabel.isEmpty() ? QStringLiteral("x") : m_xLabel),
                    csvField(m_yLabel.isEmpty() ? QStringLiteral("y") : m_yLabel));
    for (const LineSeries &s : m_series) {
        for (int i = 0; i < s.x.size(); ++i)
            text += QStringLiteral("%1,%2,%3\n")
                        .arg(csvField(s.name), number(s.x.at(i)), number(s.y.value(i, std::nan(""))));
    }
    return text;
}

} // namespace wemoe::ui
