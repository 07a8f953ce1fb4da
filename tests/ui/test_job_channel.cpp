// The studio's job queue on QtCore alone: a JobChannel delivers every value
// the work sends, in order, on the receiver's thread, before the job's
// finished(); nothing reaches a receiver that is gone.

#include "queue/job_channel.h"
#include "queue/job_queue.h"

#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <memory>

using namespace wemoe;
using namespace wemoe::ui;

class TestJobChannel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valuesArriveInOrderBeforeFinished()
    {
        JobQueue queue;
        const JobChannel<QString> channel;
        Job *job = queue.enqueue(QStringLiteral("count"), [channel](const JobContext &) {
            for (int i = 0; i < 200; ++i)
                channel.send(QString::number(i));
        });
        QStringList received;
        QThread *receiverThread = nullptr;
        bool finishedBeforeLast = false;
        QObject receiver;
        channel.connect(job, &receiver, [&](const QString &value) {
            received << value;
            receiverThread = QThread::currentThread();
        });
        connect(job, &Job::finished, this, [&] { finishedBeforeLast = received.size() < 200; });
        QTRY_VERIFY(job->isDone());
        QCOMPARE(job->state(), Job::State::Finished);
        QCOMPARE(received.size(), 200);
        QCOMPARE(received.first(), QStringLiteral("0"));
        QCOMPARE(received.last(), QStringLiteral("199"));
        for (int i = 0; i < received.size(); ++i)
            QCOMPARE(received.at(i), QString::number(i));
        QCOMPARE(receiverThread, QThread::currentThread()); // the GUI thread, not the worker
        QVERIFY(!finishedBeforeLast);
    }

    void aReceiverThatIsGoneGetsNothing()
    {
        JobQueue queue;
        const JobChannel<int> channel;
        auto gate = std::make_shared<std::atomic<bool>>(false);
        Job *job = queue.enqueue(QStringLiteral("late"), [channel, gate](const JobContext &) {
            while (!gate->load())
                QThread::msleep(1);
            channel.send(1);
        });
        int calls = 0;
        auto receiver = std::make_unique<QObject>();
        channel.connect(job, receiver.get(), [&calls](int) { ++calls; });
        receiver.reset(); // before the work sends anything
        gate->store(true);
        QTRY_VERIFY(job->isDone());
        QCoreApplication::processEvents();
        QCOMPARE(calls, 0);
        QCOMPARE(job->state(), Job::State::Finished);
    }

    void otherTypesAreNotDelivered()
    {
        JobQueue queue;
        const JobChannel<int> numbers;
        const JobChannel<QString> texts;
        Job *job = queue.enqueue(QStringLiteral("mixed"), [numbers, texts](const JobContext &) {
            numbers.send(7);
            texts.send(QStringLiteral("seven"));
        });
        QList<int> gotNumbers;
        QStringList gotTexts;
        numbers.connect(job, this, [&](int n) { gotNumbers << n; });
        texts.connect(job, this, [&](const QString &t) { gotTexts << t; });
        QTRY_VERIFY(job->isDone());
        QCOMPARE(gotNumbers, QList<int>{7});
        QCOMPARE(gotTexts, QStringList{QStringLiteral("seven")});
    }
};

QTEST_GUILESS_MAIN(TestJobChannel)
#include "test_job_channel.moc"
