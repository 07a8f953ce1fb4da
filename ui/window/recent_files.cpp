#include "window/recent_files.h"

#include "window/dropped_file.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtWidgets/QMenu>

namespace wemoe::ui {

namespace {

const QString kRecentKey = QStringLiteral("ui/recentFiles");
// Before sessions joined the list it held pools only, under this key.
const QString kOldRecentPoolsKey = QStringLiteral("ui/recentPools");

} // namespace

RecentFiles::RecentFiles(QMenu *menu, QObject *parent)
    : QObject(parent)
    , m_menu(menu)
{
    m_menu->setToolTipsVisible(true);
    // Files deleted (or restored) while the studio runs are shown as they are now.
    connect(m_menu, &QMenu::aboutToShow, this, &RecentFiles::rebuildMenu);
    rebuildMenu();
}

QStringList RecentFiles::files() const
{
    QSettings settings;
    if (!settings.contains(kRecentKey))
        return settings.value(kOldRecentPoolsKey).toStringList();
    return settings.value(kRecentKey).toStringList();
}

QStringList RecentFiles::files(Kind kind) const
{
    QStringList ofKind;
    for (const QString &path : files()) {
        if (kindOf(path) == kind)
            ofKind << path;
    }
    return ofKind;
}

RecentFiles::Kind RecentFiles::kindOf(const QString &path)
{
    return DroppedFile::classify(path).kind == DroppedFile::Kind::Session ? Kind::Session : Kind::Pool;
}

void RecentFiles::add(const QString &path)
{
    if (path.isEmpty())
        return;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList recent = files();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxFiles)
        recent.removeLast();
    QSettings settings;
    settings.setValue(kRecentKey, recent);
    settings.remove(kOldRecentPoolsKey);
    rebuildMenu();
    Q_EMIT changed();
}

void RecentFiles::clear()
{
    QSettings settings;
    settings.setValue(kRecentKey, QStringList());
    settings.remove(kOldRecentPoolsKey);
    rebuildMenu();
    Q_EMIT changed();
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    const QStringList recent = files();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent.at(i);
        const bool session = kindOf(path) == Kind::Session;
        QAction *action = m_menu->addAction(
            QIcon(session ? QStringLiteral(":/icons/session-open.svg") : QStringLiteral(":/icons/pool.svg")),
            QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(QDir::toNativeSeparators(path)));
        const bool exists = QFileInfo::exists(path);
        action->setEnabled(exists);
        action->setToolTip(!exists   ? tr("This file is not there any more.")
                           : session ? tr("A saved session: its pool, settings and results.")
                                     : tr("A model pool."));
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    if (!recent.isEmpty()) {
        m_menu->addSeparator();
        m_menu->addAction(tr("Clear list"), this, &RecentFiles::clear);
    }
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace wemoe::ui
