#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

class QWidget;

namespace wemoe::ui {

class MainWindow;

// `wemoe-studio --screenshot DIR [POOL]`: opens the pool (or the demo zoo),
// runs the configured jobs plus a short WEMoE and a short layer-wise
// AdaMerging adaptation, then renders the main views (table, sweep, task
// vectors, adaptation curve, routing heatmaps, per-image routing, learned λ) to PNG files in DIR at 1600 x 1000, then the main pages
// again at 1024 x 700, and reports the exit code. Driven by
// signals and timers; nothing waits.
class ScreenshotRunner : public QObject
{
    Q_OBJECT

public:
    ScreenshotRunner(MainWindow *window, const QString &folder, const QString &pool, QObject *parent = nullptr);

    void start();
    QStringList written() const { return m_written; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void runJobs();
    void captureAccuracy();
    void captureSweep();
    void captureTaskVectors();
    void captureRouting();
    void captureImages();
    void captureCoefficients();
    // The window at 1024 x 700 on each of `pages` in turn ("small-window-<objectName>.png").
    void captureSmallWindow(QList<QWidget *> pages);
    void report();
    void fail(const QString &message);
    void save(const QString &name, const QImage &image);

    MainWindow *m_window;
    QString m_folder;
    QString m_pool;
    QStringList m_written;
    bool m_ran = false;
    bool m_failed = false;
};

} // namespace wemoe::ui
