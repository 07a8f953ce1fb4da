#include "window/recent_files.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtWidgets/QMenu>

namespace wemoe::ui {

namespace {

const QString kRecentKey = QStringLiteral("ui/recentPools");

} // namespace

RecentFiles::RecentFiles(QMenu *menu, const QString &ignoredFolder, QObject *parent)
    : QObject(parent)
    , m_menu(menu)
    , m_ignoredFolder(ignoredFolder)
{
    rebuildMenu();
}

QStringList RecentFiles::files() const
{
    return QSettings().value(kRecentKey).toStringList();
}

void RecentFiles::add(const QString &path)
{
    if (path.isEmpty() || (!m_ignoredFolder.isEmpty() && path.startsWith(m_ignoredFolder)))
        return;
    QStringList recent = files();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxFiles)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
    rebuildMenu();
}

void RecentFiles::clear()
{
    QSettings().remove(kRecentKey);
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    const QStringList recent = files();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent.at(i);
        QAction *action = m_menu->addAction(
            QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(QDir::toNativeSeparators(path)));
        action->setEnabled(QFileInfo::exists(path));
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    if (!recent.isEmpty()) {
        m_menu->addSeparator();
        m_menu->addAction(tr("Clear list"), this, &RecentFiles::clear);
    }
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace wemoe::ui
