// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/display_text.h"

#include "capture/records.h"
#include "protocol/wait_status.h"
#include "session/process_identity.h"

#include <QApplication>
#include <QColor>
#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QPalette>
#include <QStringDecoder>
#include <QTranslator>
#include <grp.h>
#include <pwd.h>

namespace procscope::ui {

using namespace session;

namespace {

// The English plural forms ("1 event", "2 events") from translations/procscope_en.ts, built in;
// a translation for the user's language, installed later, takes precedence.
void installPluralForms()
{
    auto* plurals = new QTranslator(QCoreApplication::instance());
    if (plurals->load(u":/i18n/procscope_en.qm"_qs))
        QCoreApplication::installTranslator(plurals);
}
Q_COREAPP_STARTUP_FUNCTION(installPluralForms)

// The translation context of the words and sentences shown for processes and events.
struct DisplayText
{
    Q_DECLARE_TR_FUNCTIONS(DisplayText)
};
} // namespace

QString bytesToText(std::string_view bytes)
{
    QString text = QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
    // Control characters (a comm may hold any byte) would break a one-line cell.
    for (QChar& c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QChar(0xFFFD);
    }
    return text;
}

namespace {

std::optional<QDateTime> wallClock(const Session& session, std::uint64_t monotonicNs)
{
    const auto& header = session.header();
    if (!header || monotonicNs == 0)
        return std::nullopt;
    const auto deltaNs = static_cast<std::int64_t>(monotonicNs - header->monotonicNs);
    const auto realNs = static_cast<std::int64_t>(header->realtimeNs) + deltaNs;
    return QDateTime::fromMSecsSinceEpoch(realNs / 1'000'000);
}

QString quoteArgument(const QString& arg)
{
    if (!arg.isEmpty() && !arg.contains(QLatin1Char(' ')) && !arg.contains(QLatin1Char('"'))
        && !arg.contains(QLatin1Char('\'')))
        return arg;
    QString quoted = arg;
    quoted.replace(QLatin1Char('\''), u"'\\''"_qs);
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

QString wallClockTime(const Session& session, std::uint64_t monotonicNs)
{
    const auto time = wallClock(session, monotonicNs);
    if (!time)
        return {};
    const auto& header = *session.header();
    const auto micros = (header.realtimeNs + (monotonicNs - header.monotonicNs)) / 1000 % 1'000'000;
    return time->toString(u"HH:mm:ss"_qs) + u".%1"_qs.arg(micros, 6, 10, QLatin1Char('0'));
}

QString wallClockDateTime(const Session& session, std::uint64_t monotonicNs)
{
    const auto time = wallClock(session, monotonicNs);
    return time ? time->toString(u"yyyy-MM-dd HH:mm:ss.zzz"_qs) : QString();
}

QString durationText(std::uint64_t ns)
{
    if (ns < 1'000'000)
        return u"%1 \u00b5s"_qs.arg(ns / 1000);
    if (ns < 1'000'000'000)
        return u"%1 ms"_qs.arg(double(ns) / 1e6, 0, 'f', 1);
    if (ns < 60'000'000'000ULL)
        return u"%1 s"_qs.arg(double(ns) / 1e9, 0, 'f', 2);
    const std::uint64_t seconds = ns / 1'000'000'000;
    if (seconds < 3600)
        return u"%1 min %2 s"_qs.arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return u"%1 h %2 min"_qs.arg(seconds / 3600).arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'));
}

ProcessOutcome processOutcome(const ProcessNode& node)
{
    if (node.running())
        return ProcessOutcome::Running;
    if (!node.exitStatus)
        return ProcessOutcome::Unknown;
    const auto status = protocol::decodeWaitStatus(*node.exitStatus);
    if (status.kind == protocol::WaitStatus::Kind::Killed)
        return ProcessOutcome::Killed;
    return status.kind == protocol::WaitStatus::Kind::Exited && status.code == 0
        ? ProcessOutcome::Succeeded
        : ProcessOutcome::Failed;
}

QVariant processForeground(const ProcessNode& node, bool statusColumn)
{
    const ProcessOutcome outcome = processOutcome(node);
    if (statusColumn && (outcome == ProcessOutcome::Failed || outcome == ProcessOutcome::Killed))
        return failureColour();
    if (outcome != ProcessOutcome::Running)
        return tombstoneColour();
    return {};
}

QColor failureColour()
{
    const bool dark = QApplication::palette().color(QPalette::Base).lightness() < 128;
    return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

QColor tombstoneColour()
{
    // Halfway from the text colour to the background keeps about 4.5:1 contrast in light and
    // dark palettes, where the "disabled" grey is nearly invisible on a light background.
    const QPalette palette = QApplication::palette();
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);
    return QColor((text.red() * 55 + base.red() * 45) / 100,
        (text.green() * 55 + base.green() * 45) / 100, (text.blue() * 55 + base.blue() * 45) / 100);
}

int pluralForm(std::uint64_t count)
{
    return static_cast<int>(std::min<std::uint64_t>(count, INT_MAX));
}

QString waitStatusText(std::uint32_t raw)
{
    const protocol::WaitStatus status = protocol::decodeWaitStatus(raw);
    const QString signal = QString::fromStdString(protocol::signalName(status.signal));
    switch (status.kind) {
    case protocol::WaitStatus::Kind::Exited:
        return DisplayText::tr("exited %1").arg(status.code);
    case protocol::WaitStatus::Kind::Killed:
        return status.coreDumped ? DisplayText::tr("killed by %1 (core dumped)").arg(signal)
                                 : DisplayText::tr("killed by %1").arg(signal);
    case protocol::WaitStatus::Kind::Stopped:
        return DisplayText::tr("stopped by %1").arg(signal);
    }
    return {};
}

QString processStateText(const ProcessNode& node)
{
    if (node.running())
        return node.placeholder ? DisplayText::tr("running (seen late)")
                                : DisplayText::tr("running");
    if (!node.exitStatus)
        return DisplayText::tr("ended (pid reused)");
    return waitStatusText(*node.exitStatus);
}

QString argvText(const Session& session, const ExecInfo& exec)
{
    QString text;
    for (const std::string_view arg : argvOf(session.strings(), exec)) {
        if (!text.isEmpty())
            text += QLatin1Char(' ');
        text += quoteArgument(bytesToText(arg));
    }
    return text;
}

QString commandLineText(const Session& session, NodeId id)
{
    const ProcessNode& node = session.lineage().node(id);
    if (node.lastExec == kNoEntry) {
        if (node.placeholder)
            return u"(not seen starting)"_qs;
        // A child that has not exec'd runs its parent's program with its parent's command line
        // (ps shows the same); a kernel thread is named as ps names it.
        const ExecInfo* inherited = programExec(session.lineage(), node);
        if (inherited && inherited->argc > 0)
            return argvText(session, *inherited);
        if (inherited && inherited->described && inherited->exe == 0)
            return u"[%1]"_qs.arg(processNameText(session, node));
        return {};
    }
    const ExecInfo* exec = &session.lineage().exec(node.lastExec);
    if (exec->argc > 0)
        return argvText(session, *exec);
    if (exec->exitedBeforeRead) {
        const auto ran = exitedAfterNs(node, node.lastExec, *exec);
        return ran ? u"(exited after %1, before it could be read)"_qs.arg(durationText(*ran))
                   : u"(exited before it could be read)"_qs;
    }
    if (!exec->described || exec->exe != 0)
        return node.running() ? u"(not read yet)"_qs : u"(exited before /proc was read)"_qs;
    // Kernel threads have no command line: shown as ps shows them.
    return u"[%1]"_qs.arg(processNameText(session, node));
}

namespace {

// A user's or group's name, looked up once per id: a lookup can read files or ask a directory
// service, and views ask for every row they paint.
template <typename Entry, auto Lookup, auto Field> QString nameFromDatabase(std::uint32_t id)
{
    static QMutex mutex;
    static QHash<std::uint32_t, QString> names;
    QMutexLocker lock(&mutex);
    const auto it = names.constFind(id);
    if (it != names.constEnd())
        return *it;
    Entry entry {};
    Entry* found = nullptr;
    char buffer[4096]; // a group entry lists its members
    QString name = Lookup(id, &entry, buffer, sizeof buffer, &found) == 0 && found
        ? QString::fromLocal8Bit(found->*Field)
        : QString::number(id);
    names.insert(id, name);
    return name;
}

} // namespace

QString userName(std::uint32_t uid)
{
    return nameFromDatabase<passwd, ::getpwuid_r, &passwd::pw_name>(uid);
}

QString groupName(std::uint32_t gid)
{
    return nameFromDatabase<group, ::getgrgid_r, &group::gr_name>(gid);
}

QString processUser(const ProcessNode& node)
{
    if (!node.idsKnown)
        return {};
    QString user = userName(node.euid);
    if (node.ruid != node.euid)
        user += u" (real %1)"_qs.arg(userName(node.ruid));
    return user;
}

QString processNameText(const Session& session, const ProcessNode& node)
{
    return bytesToText(session::processName(session, node));
}

QString eventKindLabel(EventKind kind)
{
    return QString::fromLatin1(eventKindName(kind));
}

QString eventDetails(const Session& session, const StoredEvent& e)
{
    const Lineage& lineage = session.lineage();
    switch (e.kind) {
    case EventKind::Fork:
        if (e.pid != e.tgid)
            return DisplayText::tr("new thread %1 in process %2").arg(e.pid).arg(e.tgid);
        return DisplayText::tr("forked by %1, child %2").arg(e.b).arg(e.pid);
    case EventKind::Exec: {
        if (e.node == kNoNode)
            return DisplayText::tr("exec");
        const ExecInfo& exec = lineage.exec(e.a);
        if (exec.argc > 0)
            return argvText(session, exec);
        if (exec.exe)
            return bytesToText(session.strings().view(exec.exe));
        return exec.described ? DisplayText::tr("exec (no arguments)")
                              : DisplayText::tr("exec (command line not read)");
    }
    case EventKind::Exit: {
        const QString status = waitStatusText(e.a);
        if (e.pid != e.tgid)
            return DisplayText::tr("thread %1 %2").arg(e.pid).arg(status);
        return (e.flags & 1) && e.d ? DisplayText::tr("%1, parent %2").arg(status).arg(e.d)
                                    : status;
    }
    case EventKind::Uid:
        return DisplayText::tr("uid real %1, effective %2").arg(userName(e.a), userName(e.b));
    case EventKind::Gid:
        return DisplayText::tr("gid real %1, effective %2").arg(e.a).arg(e.b);
    case EventKind::Sid:
        return DisplayText::tr("started a new session");
    case EventKind::Ptrace:
        return e.b == 0 ? DisplayText::tr("tracer detached")
                        : DisplayText::tr("traced by %1").arg(e.b);
    case EventKind::Comm:
        return e.pid != e.tgid ? DisplayText::tr("thread %1 renamed to \u201c%2\u201d")
                                     .arg(e.pid)
                                     .arg(bytesToText(session.strings().view(e.a)))
                               : DisplayText::tr("renamed to \u201c%1\u201d")
                                     .arg(bytesToText(session.strings().view(e.a)));
    case EventKind::Coredump:
        return DisplayText::tr("dumped core");
    case EventKind::Unknown:
        return DisplayText::tr("unknown event kind 0x%1").arg(e.a, 0, 16);
    case EventKind::Loss: {
        if (e.a == static_cast<std::uint32_t>(capture::LossReason::ConnectionLost))
            return DisplayText::tr(
                "LOST the connection to %1: what it sent afterwards was not received")
                .arg(QString::fromStdString(session.host(e.host).label));
        const std::uint64_t count = (std::uint64_t(e.c) << 32) | e.b;
        const auto reason = e.a >= 1 && e.a <= capture::kLossReasonCount
            ? capture::lossReasonName(static_cast<capture::LossReason>(e.a))
            : "unknown";
        const QString why = QString::fromLatin1(reason);
        const int plural = pluralForm(count);
        return e.cpu == kNoCpuRow
            ? DisplayText::tr("LOST %1 events: %2", nullptr, plural).arg(count).arg(why)
            : DisplayText::tr("LOST %1 events on cpu %2: %3", nullptr, plural)
                  .arg(count)
                  .arg(e.cpu)
                  .arg(why);
    }
    }
    return {};
}

} // namespace procscope::ui
