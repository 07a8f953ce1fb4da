#include "plots/plot_widget.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "plots/qcustomplot_wrapper.h"

#include <QtCore/QEvent>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtGui/QContextMenuEvent>
#include <QtSvg/QSvgGenerator>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QStackedLayout>
#include <QtWidgets/QToolButton>

namespace wemoe::ui {

namespace {

// Below this plot width the export buttons show their icons only.
constexpr int kExportButtonTextWidth = 520;
const QString kExportFolderKey = QStringLiteral("ui/plotExportFolder");

} // namespace

PlotWidget::PlotWidget(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_placeholder(new QLabel(this))
    , m_stack(new QStackedLayout(this))
{
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setMargin(24);
    m_placeholder->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_plot);
    m_stack->setCurrentWidget(m_placeholder);
    m_plot->setContextMenuPolicy(Qt::DefaultContextMenu);
    // The plot widget forwards its context menu events to us.
    m_plot->setAttribute(Qt::WA_NoMousePropagation, false);
    setMinimumSize(200, 160);
}

PlotWidget::~PlotWidget() = default;

void PlotWidget::setPlaceholderText(const QString &text)
{
    m_callersPlaceholder = true;
    m_placeholder->setText(text);
}

void PlotWidget::setDefaultPlaceholderText(const QString &text)
{
    if (!m_callersPlaceholder)
        m_placeholder->setText(text);
}

void PlotWidget::retranslateUi()
{
    for (QToolButton *image : std::as_const(m_imageButtons)) {
        if (image) {
            image->setText(tr("Export image…"));
            image->setToolTip(tr("%1 Save this plot as a PNG, PDF or SVG file.").arg(image->text()));
        }
    }
    for (QToolButton *data : std::as_const(m_dataButtons)) {
        if (data) {
            data->setText(tr("Export data…"));
            data->setToolTip(tr("%1 Save the plotted numbers as a CSV table.").arg(data->text()));
        }
    }
}

void PlotWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateExportButtonStyle();
}

void PlotWidget::updateExportButtonStyle()
{
    // The buttons sit above the plot, as wide as it: beside a narrow plot their
    // words would squeeze its title into a column, so they become icons (the
    // words stay in the tooltip).
    const Qt::ToolButtonStyle style = width() >= kExportButtonTextWidth ? Qt::ToolButtonTextBesideIcon
                                                                        : Qt::ToolButtonIconOnly;
    for (const auto &buttons : {m_imageButtons, m_dataButtons}) {
        for (QToolButton *button : buttons) {
            if (button)
                button->setToolButtonStyle(style);
        }
    }
}

void PlotWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QWidget *PlotWidget::createExportButtons(QWidget *parent)
{
    auto *bar = new QWidget(parent);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    // Texts and tooltips: retranslateUi().
    auto *image = new QToolButton(bar);
    image->setIcon(QIcon(QStringLiteral(":/icons/image.svg")));
    image->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *data = new QToolButton(bar);
    data->setIcon(QIcon(QStringLiteral(":/icons/table.svg")));
    data->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_imageButtons << image;
    m_dataButtons << data;
    PlotWidget::retranslateUi();
    connect(image, &QToolButton::clicked, this, &PlotWidget::promptExportImage);
    connect(data, &QToolButton::clicked, this, &PlotWidget::promptExportData);
    layout->addWidget(image);
    layout->addWidget(data);
    layout->addStretch(1);
    updateExportButtonStyle();
    return bar;
}

void PlotWidget::refreshVisibility()
{
    m_stack->setCurrentWidget(hasData() ? static_cast<QWidget *>(m_plot) : static_cast<QWidget *>(m_placeholder));
}

QSize PlotWidget::exportSize(int width, int height) const
{
    if (width > 0 && height > 0)
        return {width, height};
    const QSize shown = m_plot->isVisible() ? m_plot->size() : QSize();
    return {std::max(shown.width(), 800), std::max(shown.height(), 500)};
}

void PlotWidget::exportImage(const QString &file, int width, int height) const
{
    if (!hasData())
        throw Error(file, QStringLiteral("the plot is empty: nothing to export yet"));
    const QSize size = exportSize(width, height);
    const QString suffix = QFileInfo(file).suffix().toLower();
    // QCustomPlot lays out for the export size; the widget is restored after.
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = m_plot->savePng(file, size.width(), size.height(), 2.0);
    } else if (suffix == QLatin1String("pdf")) {
        ok = m_plot->savePdf(file, size.width(), size.height());
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(file);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(m_exportName);
        generator.setDescription(QStringLiteral("WEMoE Studio"));
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            m_plot->toPainter(&painter, size.width(), size.height());
            ok = painter.end();
        }
    } else {
        throw Error(file, QStringLiteral("unknown image format '%1' (use .png, .pdf or .svg)").arg(suffix));
    }
    if (!ok || QFileInfo(file).size() == 0)
        throw Error(file, QStringLiteral("cannot write the image"));
}

void PlotWidget::exportData(const QString &csvFile) const
{
    if (!hasData())
        throw Error(csvFile, QStringLiteral("the plot is empty: nothing to export yet"));
    writeFileAtomically(csvFile, dataCsv().toUtf8());
}

void PlotWidget::promptExportImage()
{
    QSettings settings;
    const QString folder = settings.value(kExportFolderKey).toString();
    QString selected;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export plot"), QDir(folder).filePath(m_exportName + QStringLiteral(".png")),
        tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)"), &selected);
    if (file.isEmpty())
        return;
    QString target = file;
    if (QFileInfo(target).suffix().isEmpty())
        target += selected.contains(QLatin1String("pdf"))   ? QStringLiteral(".pdf")
                  : selected.contains(QLatin1String("svg")) ? QStringLiteral(".svg")
                                                            : QStringLiteral(".png");
    try {
        exportImage(target);
        settings.setValue(kExportFolderKey, QFileInfo(target).absolutePath());
    } catch (const Error &e) {
        QMessageBox::warning(this, tr("Export plot"), e.message());
    }
}

void PlotWidget::promptExportData()
{
    QSettings settings;
    const QString folder = settings.value(kExportFolderKey).toString();
    QString file = QFileDialog::getSaveFileName(this, tr("Export plot data"),
                                                QDir(folder).filePath(m_exportName + QStringLiteral(".csv")),
                                                tr("CSV table (*.csv)"));
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += QStringLiteral(".csv");
    try {
        exportData(file);
        settings.setValue(kExportFolderKey, QFileInfo(file).absolutePath());
    } catch (const Error &e) {
        QMessageBox::warning(this, tr("Export plot data"), e.message());
    }
}

void PlotWidget::contextMenuEvent(QContextMenuEvent *event)
{
    if (!hasData())
        return;
    QMenu menu(this);
    addContextActions(&menu);
    if (!menu.isEmpty())
        menu.addSeparator();
    menu.addAction(tr("Export image (PNG, PDF, SVG)…"), this, &PlotWidget::promptExportImage);
    menu.addAction(tr("Export data (CSV)…"), this, &PlotWidget::promptExportData);
    menu.exec(event->globalPos());
}

} // namespace wemoe::ui
