#pragma once

#include "models/routing_capture.h"

#include <QtCore/QFutureWatcher>
#include <QtGui/QImage>
#include <QtWidgets/QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QListWidgetItem;

namespace wemoe::ui {

class HeatmapWidget;

// One image at a time: the selected task's test images as thumbnails with
// their true and predicted labels (wrong predictions in red), and the chosen
// image's own routing weights (layers x experts) beside them. Thumbnails are
// decoded on a worker thread.
class ImageRoutingPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ImageRoutingPanel(QWidget *parent = nullptr);
    ~ImageRoutingPanel() override;

    QListWidget *thumbnails() const { return m_list; }
    HeatmapWidget *heatmap() const { return m_heatmap; }
    // "Image 2 of 5 in task dtd: true …, predicted …"
    QString detailsText() const;
    QComboBox *taskChoice() const { return m_task; }
    // Capture index of the image shown in the heatmap, -1 when none.
    int currentImage() const { return m_currentImage; }

public Q_SLOTS:
    // Throws wemoe::Error for an inconsistent capture (nothing changes then).
    void setCapture(const wemoe::ui::RoutingCapture &capture);
    void selectTask(int task);
    void selectImage(int captureIndex);

protected:
    void changeEvent(QEvent *event) override;

private:
    // Every text the panel sets, the captions and the chosen image's map;
    // again when the language switches.
    void retranslateUi();
    // A thumbnail's caption ("true / predicted") and tooltip.
    void describeItem(QListWidgetItem *item) const;
    void fillThumbnails();
    void showImage(int captureIndex);
    void applyThumbnails();

    QComboBox *m_task;
    QLabel *m_taskLabel;
    QListWidget *m_list;
    HeatmapWidget *m_heatmap;
    QLabel *m_details;
    RoutingCapture m_capture;
    int m_currentImage = -1;
    QFutureWatcher<QVector<QImage>> m_loader;
    int m_generation = 0;
    int m_loadingGeneration = -1;
};

} // namespace wemoe::ui
