#pragma once

#include "controllers/workspace_info.h"

#include <QtWidgets/QWidget>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace wemoe::ui {

// The open pool as a tree: the pretrained model and, per task, its
// fine-tuned checkpoint, head and test folder, each with its architecture,
// size and status; plus model folders dropped on the window for inspection.
class WorkspacePanel : public QWidget
{
    Q_OBJECT

public:
    explicit WorkspacePanel(QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }

public Q_SLOTS:
    void setInfo(const wemoe::ui::WorkspaceInfo &info);
    void setLoading(const QString &path);
    void addInspected(const wemoe::ui::CheckpointInfo &info);

private:
    QTreeWidgetItem *addCheckpoint(QTreeWidgetItem *parent, const QString &label, const CheckpointInfo &info);
    void showContextMenu(const QPoint &position);

    QLabel *m_header;
    QTreeWidget *m_tree;
    QTreeWidgetItem *m_inspectedRoot = nullptr;
};

} // namespace wemoe::ui
