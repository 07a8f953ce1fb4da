#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

class QMenu;

namespace wemoe::ui {

// The pools and sessions opened (or saved) lately, newest first, kept in the
// user's settings so they survive a restart, and shown in a menu (File ▸ Open
// recent) whose entries ask to open them. The demo zoo is kept like any pool:
// a user who has only opened the demo finds it here. Entries whose file is
// gone stay in the list but are disabled in the menu (a drive may come back).
class RecentFiles : public QObject
{
    Q_OBJECT

public:
    enum class Kind { Pool, Session };

    explicit RecentFiles(QMenu *menu, QObject *parent = nullptr);

    static constexpr int kMaxFiles = 10;

    QStringList files() const;
    QStringList files(Kind kind) const;
    // A session or a pool, told apart by content as a dropped file is (DroppedFile).
    static Kind kindOf(const QString &path);
    void add(const QString &path);
    void clear();

Q_SIGNALS:
    void openRequested(const QString &path);
    void changed();

private:
    void rebuildMenu();

    QMenu *m_menu;
};

} // namespace wemoe::ui
