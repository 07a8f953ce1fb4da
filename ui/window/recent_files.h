#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

class QMenu;

namespace wemoe::ui {

// The pools opened lately, newest first, kept in the user's settings and
// shown in a menu (File ▸ Open recent) whose entries ask to open them.
// Paths under `ignoredFolder` (the demo zoo, rebuilt at will) are not kept.
class RecentFiles : public QObject
{
    Q_OBJECT

public:
    RecentFiles(QMenu *menu, const QString &ignoredFolder, QObject *parent = nullptr);

    static constexpr int kMaxFiles = 10;

    QStringList files() const;
    void add(const QString &path);
    void clear();

Q_SIGNALS:
    void openRequested(const QString &path);

private:
    void rebuildMenu();

    QMenu *m_menu;
    QString m_ignoredFolder;
};

} // namespace wemoe::ui
