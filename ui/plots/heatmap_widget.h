#pragma once

#include "models/heat_matrix.h"
#include "plots/plot_widget.h"

#include <utility>

class QCPColorMap;
class QCPColorScale;
class QCPItemText;

namespace wemoe::ui {

// A matrix as coloured cells (QCPColorMap) with row and column labels, a
// colour scale bar and a tooltip with the exact value of the cell under the
// mouse. Row 0 is at the top. Routing weights and similarities can be
// negative, so the default scale is diverging: blue below its centre, white
// at it, red above, symmetric so equal colours mean equal distances. The
// centre is 0 unless set: routing weights that all sit near the routers'
// initial λ (0.28–0.31) show their differences only as deviations from it.
class HeatmapWidget : public PlotWidget
{
    Q_OBJECT

public:
    enum class Scale {
        Diverging, // [-m, m], m = largest |value|, centred at 0
        Sequential // [min, max] of the data (or a fixed range), white to dark blue
    };

    // What the diverging scale is centred on: the colours show value − centre.
    struct Centre
    {
        enum class Kind { Zero, Value, RowMean };
        Kind kind = Kind::Zero;
        double value = 0.0; // Kind::Value
        QString name;       // how the colour bar names it: "λ₀ = 0.3"
    };

    explicit HeatmapWidget(QWidget *parent = nullptr);

    void setMatrix(const HeatMatrix &matrix, Scale scale = Scale::Diverging);
    const HeatMatrix &matrix() const { return m_matrix; }
    Scale scale() const { return m_scale; }
    // A fixed colour range for sequential data (shares in [0, 1]); lower >= upper: from the data.
    void setFixedRange(double lower, double upper);
    // Writes each value into its cell, in the cells large enough to hold it
    // (a small window shows colours only; the tooltip still reads the value).
    void setShowValues(bool show);
    // Whether the numbers are drawn now (they are asked for and fit the cells).
    bool valuesShown() const;
    // How tall the widget asks to be at most (640 px unless set), so each row
    // of a long matrix gets a readable line and every row its label; the page
    // around it scrolls.
    void setMaximumGrowth(int height);
    void setCentre(const Centre &centre);
    const Centre &centre() const { return m_centre; }
    // The diverging scale spans ±extent around the centre; 0: the data's own
    // largest deviation. Several maps given one extent share one scale.
    void setSharedExtent(double extent);
    // The largest |value − centre| of the matrix (what the scale needs).
    double deviationExtent() const;
    // The centre that the colour of a cell is measured from.
    double centreOf(int row) const;

    QCPColorMap *colorMap() const { return m_colorMap; }
    QCPColorScale *colorScale() const { return m_colorScale; }
    std::pair<double, double> colorRange() const;

    // The cell under a point of plot() (widget coordinates); false outside the matrix.
    bool cellAt(const QPoint &position, int *row, int *column) const;
    // "layer 3, expert mnist: 0.4213"
    QString cellToolTip(int row, int column) const;

    bool hasData() const override { return !m_matrix.isEmpty(); }
    QString dataCsv() const override { return m_matrix.toCsv(); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    // The placeholder and the colour bar's title.
    void retranslateUi() override;

private:
    void rebuild();
    // Hides the cell numbers when a cell is smaller than its text; after every layout.
    void fitValuesToCells();

    HeatMatrix m_matrix;
    Scale m_scale = Scale::Diverging;
    double m_fixedLower = 0.0;
    double m_fixedUpper = 0.0;
    bool m_showValues = false;
    Centre m_centre;
    double m_sharedExtent = 0.0;
    int m_maximumHeight = 640;
    QCPColorMap *m_colorMap;
    QCPColorScale *m_colorScale;
    QVector<QCPItemText *> m_values;
};

} // namespace wemoe::ui
