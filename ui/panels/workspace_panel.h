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
    // The line above the tree: the pool's name and file, "Loading …", or "No pool open".
    QString headerText() const;
    // The line under it, when a load was cancelled or failed; empty otherwise.
    QString noteText() const;

public Q_SLOTS:
    // `note` says why the pool shown is not the one asked for (a cancelled or
    // failed load: the last good pool, or none, stays).
    void setInfo(const wemoe::ui::WorkspaceInfo &info, const QString &note = QString());
    void setLoading(const QString &path);
    void addInspected(const wemoe::ui::CheckpointInfo &info);

protected:
    void changeEvent(QEvent *event) override;

private:
    // The tree's header and tooltip, and the header line and tree drawn again
    // from what was last given (pool, note, loading, inspected models); again
    // when the language switches.
    void retranslateUi();
    QTreeWidgetItem *addCheckpoint(QTreeWidgetItem *parent, const QString &label, const CheckpointInfo &info);
    void showContextMenu(const QPoint &position);

    QLabel *m_header;
    QLabel *m_note;
    QTreeWidget *m_tree;
    QTreeWidgetItem *m_inspectedRoot = nullptr;
    WorkspaceInfo m_info;
    QString m_loadingPath; // while a load runs
    QVector<CheckpointInfo> m_inspected;
};

} // namespace wemoe::ui
