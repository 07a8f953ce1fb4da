// A saved session reopens with its tables and plots, without recomputing.

#include "common/error.h"
#include "controllers/evaluation_controller.h"
#include "main_window.h"
#include "models/accuracy_table_model.h"
#include "models/session_data.h"
#include "panels/methods_panel.h"
#include "panels/sweep_panel.h"
#include "panels/task_vector_panel.h"
#include "plots/heatmap_widget.h"
#include "plots/sweep_plot.h"
#include "queue/job_queue.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

SessionData handMade(const QString &poolPath)
{
    SessionData session;
    session.poolPath = poolPath;
    MethodCall ta = session.settings.call(QStringLiteral("task_arithmetic"));
    ta.set(QStringLiteral("lambda"), 0.45);
    session.settings.setCall(ta);
    session.settings.setEnabled(QStringLiteral("ties"), false);
    session.settings.sweepStep = 0.25;
    session.settings.maxTestImagesPerTask = 40;
    MethodCall wemoe = session.settings.call(QStringLiteral("wemoe"));
    wemoe.set(QStringLiteral("diversity"), 1.5);
    session.settings.setCall(wemoe);
    MethodCall dare = session.settings.call(QStringLiteral("dare"));
    dare.set(QStringLiteral("seed"), QVariant::fromValue((quint64(1) << 60) + 3)); // beyond a double's exact range
    session.settings.setCall(dare);
    session.table = AccuracyTable({QStringLiteral("a"), QStringLiteral("b")});
    session.table.setRow(QStringLiteral("individual"), {1.0, 0.9});
    session.table.setRow(QStringLiteral("task_arithmetic (λ=0.45)"), {0.7, std::nan("")});
    session.table.setRow(QStringLiteral("wemoe"), {0.95, 0.85});
    session.routingModes.insert(QStringLiteral("wemoe"), QStringLiteral("per sample"));
    session.rowCalls.insert(QStringLiteral("task_arithmetic (λ=0.45)"), ta);
    SweepSeries sweep;
    sweep.method = QStringLiteral("task_arithmetic");
    sweep.label = QStringLiteral("task_arithmetic");
    sweep.tasks = session.table.tasks();
    sweep.appendPoint(0.0, {0.5, 0.4});
    sweep.appendPoint(0.25, {0.6, 0.55});
    session.sweeps.append(sweep);
    session.taskSimilarity = HeatMatrix(2, 2, 0.0);
    session.taskSimilarity.values = {1.0, -0.25, -0.25, 1.0};
    session.taskSimilarity.rowLabels = session.table.tasks();
    session.taskSimilarity.columnLabels = session.table.tasks();
    return session;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // keep the user's settings out of it
        QCoreApplication::setOrganizationName(QStringLiteral("WEMoE-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_session"));
    }

    // A session written before the method catalogue (version 1): one set of
    // merge parameters shared by the static methods, one key per setting.
    void readsVersionOneSessions()
    {
        const QByteArray text = R"json({"format": "wemoe-studio-session", "version": 1, "pool": "/p/pool.json",
            "settings": {"ties": false, "wemoe": true, "wemoe_steps": 7, "router_depth": 1,
                         "routing_mode": "batch_reduce", "adaptation_batch_size": 8, "sweep_method": "ties",
                         "parameters": {"method": "task_arithmetic", "lambda": 0.45, "ties_top_k": 0.1,
                                        "ties_merge": "mean", "dare_seed": "1152921504606846979",
                                        "dare_then_ties": true}},
            "rows": {"ties (λ=0.45, k=10%, mean)": {"request": {"method": "ties", "lambda": 0.45,
                                                                 "ties_top_k": 0.1, "ties_merge": "mean"}}}})json";
        const SessionData session = SessionData::fromJson(QJsonDocument::fromJson(text).object());
        const MethodSettings &s = session.settings;
        QVERIFY(!s.isEnabled(QStringLiteral("ties")));
        QVERIFY(s.isEnabled(QStringLiteral("wemoe")));
        QVERIFY(s.isEnabled(QStringLiteral("task_arithmetic"))); // absent: the default
        for (const char *merge : {"task_arithmetic", "ties", "dare"})
            QCOMPARE(s.call(QLatin1String(merge)).real(QStringLiteral("lambda")), 0.45);
        QCOMPARE(s.call(QStringLiteral("dare")).text(),
                 QStringLiteral("dare:seed=1152921504606846979,then=ties,lambda=0.45,k=0.1,merge=mean"));
        QCOMPARE(s.call(QStringLiteral("wemoe")).text(), QStringLiteral("wemoe:steps=7,batch=8,depth=1,routing=batch"));
        QCOMPARE(s.call(QStringLiteral("adamerging_task")).integer(QStringLiteral("batch")), 8);
        QCOMPARE(s.sweepMethod, QStringLiteral("ties"));
        const QString row = QStringLiteral("ties (λ=0.45, k=10%, mean)");
        QCOMPARE(session.rowCalls.value(row).label(), row);
    }

    void roundTrip()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("s.wemoe-session.json"));
        const SessionData saved = handMade(dir.filePath(QStringLiteral("pool/pool.json")));
        saved.save(file);
        const SessionData loaded = SessionData::load(file);
        QCOMPARE(loaded.poolPath, saved.poolPath);
        QCOMPARE(loaded.settings.call(QStringLiteral("task_arithmetic")).real(QStringLiteral("lambda")), 0.45);
        QCOMPARE(loaded.settings.isEnabled(QStringLiteral("ties")), false);
        QCOMPARE(loaded.settings.sweepStep, 0.25);
        QCOMPARE(loaded.settings.maxTestImagesPerTask, 40);
        QCOMPARE(loaded.settings.call(QStringLiteral("wemoe")).real(QStringLiteral("diversity")), 1.5);
        QCOMPARE(loaded.settings.call(QStringLiteral("dare")).seed(QStringLiteral("seed")), (quint64(1) << 60) + 3);
        QCOMPARE(loaded.table.toCsv(), saved.table.toCsv());
        QCOMPARE(loaded.routingModes, saved.routingModes);
        QCOMPARE(loaded.rowCalls.size(), 1);
        QCOMPARE(loaded.rowCalls.value(QStringLiteral("task_arithmetic (λ=0.45)")).real(QStringLiteral("lambda")),
                 0.45);
        QCOMPARE(loaded.sweeps.size(), 1);
        QCOMPARE(loaded.sweeps.first().lambdas, (QVector<double>{0.0, 0.25}));
        QCOMPARE(loaded.sweeps.first().accuracy, saved.sweeps.first().accuracy);
        QCOMPARE(loaded.taskSimilarity.values, saved.taskSimilarity.values);
        QCOMPARE(loaded.taskSimilarity.rowLabels, saved.taskSimilarity.rowLabels);
    }

    void badFilesAreErrors()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("bad.json"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(R"({"format": "something-else", "version": 1})");
        out.close();
        QVERIFY_THROWS_EXCEPTION(Error, SessionData::load(file));
        QVERIFY_THROWS_EXCEPTION(Error, SessionData::load(dir.filePath(QStringLiteral("missing.json"))));
        QFile broken(file);
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write(R"({"format": "wemoe-studio-session", "version": 1, "settings": {"threads": "two"}})");
        broken.close();
        try {
            SessionData::load(file);
            QFAIL("a wrongly typed setting was accepted");
        } catch (const Error &e) {
            QVERIFY(e.message().contains(QStringLiteral("threads")));
            QVERIFY(e.message().contains(file));
        }
    }

    void reopenedSessionShowsResults()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("s.wemoe-session.json"));
        const QString pool = dir.filePath(QStringLiteral("pool-that-is-gone/pool.json"));
        handMade(pool).save(file);

        MainWindow window;
        window.setInteractive(false);
        window.openSession(file);
        QVERIFY(!window.jobQueue()->isBusy()); // nothing recomputed, nothing queued
        const AccuracyTableModel *model = window.evaluation()->tableModel();
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(model->index(2, AccuracyTableModel::RoutingColumn).data().toString(), QStringLiteral("per sample"));
        QCOMPARE(model->index(2, model->averageColumn()).data().toString(), QStringLiteral("90.0"));
        QVERIFY(window.sweepPanel()->plot()->hasData());
        QCOMPARE(window.sweepPanel()->plot()->sweep().lambdas, (QVector<double>{0.0, 0.25}));
        QVERIFY(window.taskVectorPanel()->heatmap()->hasData());
        QCOMPARE(
            window.methodsPanel()->settings().call(QStringLiteral("task_arithmetic")).real(QStringLiteral("lambda")),
            0.45);
        QCOMPARE(window.evaluation()->exportableRows(), QStringList{QStringLiteral("task_arithmetic (λ=0.45)")});

        // Saved again from the window, the session holds the same results.
        const QString again = dir.filePath(QStringLiteral("again.wemoe-session.json"));
        window.saveSession(again);
        const SessionData reloaded = SessionData::load(again);
        QCOMPARE(reloaded.table.toCsv(), handMade(QString()).table.toCsv());
        QCOMPARE(reloaded.sweeps.size(), 1);
        QCOMPARE(reloaded.poolPath, pool);
    }
};

QTEST_MAIN(TestSession)
#include "test_session.moc"
