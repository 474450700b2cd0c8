// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/file_jobs.h"

#include "session/session.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace procscope::ui {

namespace {

struct FileJobs
{
    Q_DECLARE_TR_FUNCTIONS(FileJobs)
};

} // namespace

WorkResult copyCaptureFile(const QString& source, const QString& destination, WorkProgress& progress)
{
    WorkResult result;
    QFile in(source);
    QSaveFile out(destination);
    if (!in.open(QIODevice::ReadOnly)) {
        result.error = in.errorString();
        return result;
    }
    if (!out.open(QIODevice::WriteOnly)) {
        result.error = out.errorString();
        return result;
    }
    QByteArray chunk;
    while (!progress.cancelled && !(chunk = in.read(1 << 20)).isEmpty()) {
        if (out.write(chunk) != chunk.size()) {
            result.error = out.errorString();
            out.cancelWriting();
            return result;
        }
        progress.done += chunk.size();
    }
    if (progress.cancelled) {
        out.cancelWriting();
        result.cancelled = true;
        return result;
    }
    result.ok = out.commit();
    if (!result.ok)
        result.error = out.errorString();
    return result;
}

WorkResult exportCaptureEvents(const session::Session& session, const QString& destination, session::ExportFormat format,
    const std::vector<std::uint8_t>& shown, WorkProgress& progress)
{
    WorkResult result;
    std::ofstream out(QFile::encodeName(destination).toStdString(), std::ios::binary | std::ios::trunc);
    if (!out) {
        result.error = FileJobs::tr("the file could not be written (%1)").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return result;
    }
    std::atomic<qulonglong> count { 0 };
    const bool shownOnly = !shown.empty();
    const session::RowFilter filter = [&](std::size_t row) {
        progress.done.fetch_add(1, std::memory_order_relaxed);
        if (progress.cancelled.load(std::memory_order_relaxed) || (shownOnly && (row >= shown.size() || !shown[row])))
            return false;
        count.fetch_add(1, std::memory_order_relaxed);
        return true;
    };
    session::exportEvents(session, format, out, filter);
    out.close();
    result.ok = static_cast<bool>(out);
    result.events = count.load();
    if (!result.ok)
        result.error = FileJobs::tr("the file could not be written");
    return result;
}

} // namespace procscope::ui
