// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <memory>

namespace procscope::ui {

// What a save or an export on a worker thread came to.
struct WorkResult {
    bool ok = false;
    bool cancelled = false;
    qulonglong events = 0; // exported
    QString error; // a sentence for the user when !ok and !cancelled
};

// Shared with the worker: how far it got, and whether the user asked it to stop.
struct WorkProgress {
    std::atomic<qint64> done { 0 };
    std::atomic<bool> cancelled { false };
};

// One piece of long work at a time on a worker thread (a save, an export), with progress
// reported every 100 ms and Cancel; it finishes through a future, never a nested event loop.
class BackgroundWork : public QObject {
    Q_OBJECT
public:
    explicit BackgroundWork(QObject* parent = nullptr);
    ~BackgroundWork() override; // cancels and waits

    bool busy() const { return m_thread != nullptr; }
    void cancel();

    // Runs `work(WorkProgress&) -> WorkResult` on a new thread. The returned future finishes
    // on this object's thread, after finished() (so what its receivers do is already in place).
    template <typename Work>
    QFuture<WorkResult> run(const QString& what, qint64 total, Work work)
    {
        auto promise = std::make_shared<QPromise<WorkResult>>();
        QFuture<WorkResult> future = promise->future();
        auto progress = std::make_shared<WorkProgress>();
        promise->start();
        start(what, total, progress, QThread::create([promise, progress, work = std::move(work)]() mutable {
            WorkResult result = work(*progress);
            result.cancelled = progress->cancelled.load();
            promise->addResult(result);
            promise->finish();
        }));
        return future.then(this, [this](WorkResult result) {
            done();
            return result;
        });
    }

signals:
    void progress(const QString& what, qint64 done, qint64 total);
    void finished();

private:
    void start(const QString& what, qint64 total, std::shared_ptr<WorkProgress> progress, QThread* thread);
    void done();

    QPointer<QThread> m_thread;
    std::shared_ptr<WorkProgress> m_progress;
    QString m_what;
    qint64 m_total = 0;
    QTimer m_poll;
};

} // namespace procscope::ui
