#pragma once

#include "controllers/demo_zoo_estimate.h"

#include <QtCore/QStringList>
#include <QtWidgets/QWidget>

#include <optional>

class QBoxLayout;
class QCommandLinkButton;
class QLabel;

namespace wemoe::ui {

// What the central area shows while no pool is open: what the studio does,
// the ways in (the quick and the full demo with what each costs, open a pool
// or session, import a FusionBench pool) and the recent pools and sessions.
// It only asks (signals); the window opens.
class StartPage : public QWidget
{
    Q_OBJECT

public:
    explicit StartPage(QWidget *parent = nullptr);

    // The demo buttons say what opening costs (DemoZooEstimate: ready, or the build time).
    void setDemoEstimate(const DemoZooEstimate &estimate);
    // Files opened lately, newest first; the ones that are gone are left out.
    void setRecent(const QStringList &pools, const QStringList &sessions);
    // A line under the buttons: what is being prepared, or why it did not open.
    void setStatus(const QString &text, bool problem = false);
    // While a demo zoo is being prepared its buttons wait.
    void setDemoBusy(bool busy);

    QCommandLinkButton *quickDemoButton() const { return m_quickDemo; }
    QCommandLinkButton *fullDemoButton() const { return m_fullDemo; }
    QCommandLinkButton *openButton() const { return m_open; }
    QCommandLinkButton *importButton() const { return m_import; }
    // The recent files listed (links in these labels), newest first.
    QStringList shownPools() const { return m_shownPools; }
    QStringList shownSessions() const { return m_shownSessions; }
    QLabel *recentPoolsLabel() const { return m_recentPools; }
    QLabel *recentSessionsLabel() const { return m_recentSessions; }
    QString statusText() const;

Q_SIGNALS:
    void openDemoRequested(bool quick);
    void openRequested();   // the file dialog for a pool or a session
    void importRequested(); // the file dialog for a FusionBench YAML
    void openPathRequested(const QString &path);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // Every text; again, from the estimates and files last given, when the language switches.
    void retranslateUi();
    // Lists the files that exist as links; returns them.
    QStringList fillList(QLabel *list, const QStringList &files, const QString &none);

    QBoxLayout *m_columns;
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_startHeading = nullptr;
    QLabel *m_recentHeading = nullptr;
    QLabel *m_poolsHeading = nullptr;
    QLabel *m_sessionsHeading = nullptr;
    QCommandLinkButton *m_quickDemo;
    QCommandLinkButton *m_fullDemo;
    QCommandLinkButton *m_open;
    QCommandLinkButton *m_import;
    QLabel *m_status;
    QLabel *m_recentPools;
    QLabel *m_recentSessions;
    QStringList m_pools; // as given, gone ones included: they may come back
    QStringList m_sessions;
    QStringList m_shownPools;
    QStringList m_shownSessions;
    std::optional<DemoZooEstimate> m_quickEstimate;
    std::optional<DemoZooEstimate> m_fullEstimate;
};

} // namespace wemoe::ui
