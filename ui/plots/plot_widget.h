#pragma once

#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QVector>
#include <QtWidgets/QWidget>

class QCustomPlot;
class QLabel;
class QMenu;
class QStackedLayout;
class QToolButton;

namespace wemoe::ui {

// A QCustomPlot with what every plot of the studio offers: a placeholder
// while there is nothing to show, export of the picture (PNG, PDF or SVG, by
// the file's suffix) and of its numbers (CSV), from a context menu or code.
class PlotWidget : public QWidget
{
    Q_OBJECT

public:
    explicit PlotWidget(QWidget *parent = nullptr);
    ~PlotWidget() override;

    QCustomPlot *plot() const { return m_plot; }
    virtual bool hasData() const = 0;
    // The plotted numbers as CSV text.
    virtual QString dataCsv() const = 0;

    // Writes the picture; the format follows the suffix (.png, .pdf, .svg).
    // width/height 0: the widget's size (at least 800 x 500 when it is not shown).
    // Throws wemoe::Error naming the file.
    void exportImage(const QString &file, int width = 0, int height = 0) const;
    void exportData(const QString &csvFile) const;

    // Base name offered by the export dialogs ("accuracy-vs-lambda").
    void setExportName(const QString &name) { m_exportName = name; }
    QString exportName() const { return m_exportName; }
    // What shows while there is nothing to plot; a caller's text wins over
    // the plot's own (setDefaultPlaceholderText), in any language.
    void setPlaceholderText(const QString &text);
    // A row of "Export image…" and "Export data…" buttons for this plot.
    QWidget *createExportButtons(QWidget *parent);

public Q_SLOTS:
    void promptExportImage();
    void promptExportData();

protected:
    // Subclasses call this after changing the data: shows the plot or the placeholder.
    void refreshVisibility();
    // The plot's own placeholder, shown unless a caller set one.
    void setDefaultPlaceholderText(const QString &text);
    // The texts the plot sets itself (export buttons, placeholder, axis
    // titles), again when the language switches; subclasses add theirs and
    // call this.
    virtual void retranslateUi();
    void changeEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    // Subclasses add their own entries above the export ones.
    virtual void addContextActions(QMenu *menu) { Q_UNUSED(menu) }

private:
    void updateExportButtonStyle();
    QSize exportSize(int width, int height) const;

    QCustomPlot *m_plot;
    QLabel *m_placeholder;
    QStackedLayout *m_stack;
    bool m_callersPlaceholder = false;
    // Every row of export buttons made (they belong to their bar).
    QVector<QPointer<QToolButton>> m_imageButtons;
    QVector<QPointer<QToolButton>> m_dataButtons;
    QString m_exportName = QStringLiteral("plot");
};

} // namespace wemoe::ui
