#include "panels/image_routing_panel.h"

#include "common/error.h"
#include "data/sample_images.h"
#include "plots/heatmap_widget.h"

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QBuffer>
#include <QtCore/QDir>
#include <QtCore/QEvent>
#include <QtGui/QImageReader>
#include <QtGui/QPixmap>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace wemoe::ui {

namespace {

constexpr int kThumbnail = 80;
constexpr int kImageRole = Qt::UserRole + 1;

// A thumbnail of an encoded image (from a file or a Parquet row).
QImage thumbnailOf(const QByteArray &encoded)
{
    QBuffer buffer;
    buffer.setData(encoded);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid())
        reader.setScaledSize(size.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull())
        return {};
    // Tiny images (16 px synthetic ones) are blown up without smoothing, so their pixels stay visible.
    if (image.width() < kThumbnail && image.height() < kThumbnail)
        image = image.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, Qt::FastTransformation);
    return image;
}

} // namespace

ImageRoutingPanel::ImageRoutingPanel(QWidget *parent)
    : QWidget(parent)
    , m_task(new QComboBox(this))
    , m_taskLabel(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_heatmap(new HeatmapWidget(this))
    , m_details(new QLabel(this))
{
    // Texts and tooltips: retranslateUi().
    m_task->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_list->setViewMode(QListView::IconMode);
    m_list->setIconSize(QSize(kThumbnail, kThumbnail));
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setUniformItemSizes(true);
    m_list->setGridSize(QSize(kThumbnail + 48, kThumbnail + 28));
    // One line per caption, shortened in the middle: wrapping broke class names inside words.
    // The tooltip has the whole text.
    m_list->setWordWrap(false);
    m_list->setTextElideMode(Qt::ElideMiddle);
    m_heatmap->setExportName(QStringLiteral("image-routing"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    m_taskLabel->setBuddy(m_task);
    top->addWidget(m_taskLabel);
    top->addWidget(m_task);
    top->addStretch(1);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_details, 1);
    bar->addWidget(m_heatmap->createExportButtons(right));
    rightLayout->addLayout(bar);
    rightLayout->addWidget(m_heatmap, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_list);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_task, &QComboBox::currentIndexChanged, this, &ImageRoutingPanel::fillThumbnails);
    connect(m_list, &QListWidget::currentItemChanged, this,
            [this](QListWidgetItem *item) { showImage(item ? item->data(kImageRole).toInt() : -1); });
    connect(&m_loader, &QFutureWatcher<QVector<QImage>>::finished, this, &ImageRoutingPanel::applyThumbnails);
    m_task->setEnabled(false);
    retranslateUi();
}

void ImageRoutingPanel::retranslateUi()
{
    m_task->setToolTip(tr("The task whose test images are listed."));
    m_taskLabel->setText(tr("Task:"));
    m_list->setToolTip(tr("Test images of the task: true label / predicted label; red when the prediction is wrong."));
    m_heatmap->setPlaceholderText(tr("Per-image routing weights appear here after a WEMoE run: pick an image."));
    // In place: the thumbnails stay, and so does the chosen one.
    for (int row = 0; row < m_list->count(); ++row)
        describeItem(m_list->item(row));
    if (m_currentImage >= 0)
        showImage(m_currentImage);
}

void ImageRoutingPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

// Thumbnail decoding touches no member, so a panel closed mid-decoding does not wait for it.
ImageRoutingPanel::~ImageRoutingPanel() = default;

void ImageRoutingPanel::setCapture(const RoutingCapture &capture)
{
    if (!capture.isEmpty())
        capture.validate();
    m_capture = capture;
    m_task->blockSignals(true);
    m_task->clear();
    m_task->addItems(capture.tasks);
    m_task->setCurrentIndex(capture.tasks.isEmpty() ? -1 : 0);
    m_task->blockSignals(false);
    m_task->setEnabled(!capture.isEmpty());
    fillThumbnails();
}

void ImageRoutingPanel::selectTask(int task)
{
    m_task->setCurrentIndex(task);
}

void ImageRoutingPanel::selectImage(int captureIndex)
{
    if (captureIndex < 0 || captureIndex >= m_capture.imageCount())
        return;
    const int task = m_capture.imageTask.at(captureIndex);
    if (m_task->currentIndex() != task)
        m_task->setCurrentIndex(task);
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->data(kImageRole).toInt() == captureIndex) {
            m_list->setCurrentRow(row);
            return;
        }
    }
}

void ImageRoutingPanel::fillThumbnails()
{
    ++m_generation;
    m_list->clear();
    const int task = m_task->currentIndex();
    if (m_capture.isEmpty() || task < 0) {
        showImage(-1);
        return;
    }
    // Every item starts with a blank thumbnail of the final size, so the
    // (uniform) item size is right before the images are decoded.
    QPixmap blank(kThumbnail, kThumbnail);
    blank.fill(QColor(0xe8, 0xe8, 0xe8));
    const QIcon placeholder(blank);
    QStringList files;
    for (const int i : m_capture.imagesOfTask(task)) {
        auto *item = new QListWidgetItem(placeholder, QString(), m_list);
        item->setData(kImageRole, i);
        describeItem(item);
        files << m_capture.imageFiles.value(i);
    }
    if (!m_capture.imageFiles.isEmpty()) {
        // The previous decoding may still run; its result is ignored by generation.
        m_loadingGeneration = m_generation;
        m_loader.setFuture(QtConcurrent::run([files] {
            QVector<QImage> images;
            SampleImageReader reader;
            for (const QString &file : files) {
                try {
                    images << thumbnailOf(reader.read(file));
                } catch (const Error &) {
                    images << QImage(); // moved or deleted since the capture: the placeholder stays
                }
            }
            return images;
        }));
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        showImage(-1);
}

void ImageRoutingPanel::describeItem(QListWidgetItem *item) const
{
    const int i = item->data(kImageRole).toInt();
    const int task = m_capture.imageTask.value(i);
    const QString file = QDir::toNativeSeparators(m_capture.imageFiles.value(i));
    if (i >= m_capture.trueLabel.size() || i >= m_capture.predictedLabel.size()) {
        item->setText(QString::number(i));
        item->setToolTip(file);
        return;
    }
    const QString truth = m_capture.className(task, m_capture.trueLabel.at(i));
    const QString predicted = m_capture.className(task, m_capture.predictedLabel.at(i));
    item->setText(tr("%1 / %2").arg(truth, predicted));
    item->setToolTip(tr("%1\ntrue: %2, predicted: %3").arg(file, truth, predicted));
    if (m_capture.trueLabel.at(i) != m_capture.predictedLabel.at(i))
        item->setForeground(QColor(0xb0, 0x00, 0x20));
}

QString ImageRoutingPanel::detailsText() const
{
    return m_details->text();
}

void ImageRoutingPanel::applyThumbnails()
{
    if (m_loadingGeneration != m_generation)
        return;
    const QVector<QImage> images = m_loader.result();
    for (int row = 0; row < m_list->count() && row < images.size(); ++row) {
        if (!images.at(row).isNull())
            m_list->item(row)->setIcon(QIcon(QPixmap::fromImage(images.at(row))));
    }
}

void ImageRoutingPanel::showImage(int captureIndex)
{
    m_currentImage = captureIndex;
    if (captureIndex < 0) {
        m_heatmap->setMatrix(HeatMatrix());
        m_details->clear();
        return;
    }
    // Every image of a task on one scale, measured from the routers' initial
    // λ: two images' colours compare, and so do they with the task's mean map.
    const int task = m_capture.imageTask.at(captureIndex);
    double extent = 0.0;
    for (const int image : m_capture.imagesOfTask(task)) {
        for (int l = 0; l < m_capture.layers; ++l) {
            for (int e = 0; e < m_capture.experts; ++e)
                extent = std::max(extent, std::abs(double(m_capture.weight(image, l, e)) - m_capture.initLambda));
        }
    }
    HeatmapWidget::Centre centre;
    centre.kind = HeatmapWidget::Centre::Kind::Value;
    centre.value = m_capture.initLambda;
    centre.name = QStringLiteral("λ₀ (%1)").arg(m_capture.initLambda);
    m_heatmap->setCentre(centre);
    m_heatmap->setSharedExtent(extent);
    m_heatmap->setShowValues(true);
    m_heatmap->setMatrix(imageRouting(m_capture, captureIndex), HeatmapWidget::Scale::Diverging);
    // Counted within the task, as the list shows them (the capture numbers images across all tasks).
    const QVector<int> images = m_capture.imagesOfTask(task);
    QString details = tr("Image %1 of %2 in task %3")
                          .arg(images.indexOf(captureIndex) + 1)
                          .arg(images.size())
                          .arg(m_capture.tasks.value(task));
    if (captureIndex < m_capture.trueLabel.size() && captureIndex < m_capture.predictedLabel.size())
        details += tr(": true %1, predicted %2")
                       .arg(m_capture.className(task, m_capture.trueLabel.at(captureIndex)),
                            m_capture.className(task, m_capture.predictedLabel.at(captureIndex)));
    m_details->setText(details);
}

} // namespace wemoe::ui
