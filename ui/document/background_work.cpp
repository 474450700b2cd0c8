// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/background_work.h"

namespace procscope::ui {

BackgroundWork::BackgroundWork(QObject* parent)
    : QObject(parent)
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (m_progress)
            emit progress(m_what, m_progress->done.load(), m_total);
    });
}

BackgroundWork::~BackgroundWork()
{
    cancel();
    if (m_thread)
        m_thread->wait();
}

void BackgroundWork::cancel()
{
    if (m_progress)
        m_progress->cancelled = true;
}

void BackgroundWork::start(const QString& what, qint64 total, std::shared_ptr<WorkProgress> progress, QThread* thread)
{
    m_what = what;
    m_total = total;
    m_progress = std::move(progress);
    m_thread = thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    m_poll.start();
    emit this->progress(what, 0, total);
}

void BackgroundWork::done()
{
    if (m_thread)
        m_thread->wait();
    m_thread = nullptr;
    m_progress.reset();
    m_poll.stop();
    emit finished();
}

} // namespace procscope::ui
