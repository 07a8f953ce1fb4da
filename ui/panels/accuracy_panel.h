#pragma once

#include "models/eliding_header_proxy.h"

#include <QtWidgets/QWidget>

class QLabel;
class QTableView;
class QToolButton;

namespace wemoe::ui {

class AccuracyTableModel;

// The accuracy table: sortable by any column, best value per column
// highlighted, copy to the clipboard, export as CSV, Markdown or JSON (the
// engine's AccuracyTable writes them), and "export this row's model".
class AccuracyPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AccuracyPanel(AccuracyTableModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

public Q_SLOTS:
    // The selected cells as tab-separated text, or the whole table as Markdown when nothing is selected.
    void copyToClipboard();
    void promptExport();

Q_SIGNALS:
    void exportModelRequested(const QString &rowLabel);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    // Every text the panel sets; again when the language switches.
    void retranslateUi();
    // Every column on screen while it can be: columns keep their natural
    // widths when they fit; otherwise the widest give up width first, none
    // below a floor (a short method name, a number, the average's name;
    // headers elide, tooltips do not), until the average and normalised
    // accuracy are in view too. The routing
    // column shows only when some row has a routing mode.
    void fitColumns();
    void showContextMenu(const QPoint &position);
    void updateSummary();

    AccuracyTableModel *m_model;
    ElidingHeaderProxy *m_proxy; // sorts, and cuts the headers of narrowed columns
    QTableView *m_view;
    QLabel *m_summary;
    QToolButton *m_copy;
    QToolButton *m_save;
};

} // namespace wemoe::ui
