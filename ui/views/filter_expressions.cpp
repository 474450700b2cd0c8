// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/filter_expressions.h"

#include "models/cost_columns.h"
#include "protocol/wait_status.h"

namespace procscope::ui {

using namespace session;

QString filterString(std::string_view bytes)
{
    QString text = QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
    text.replace(u'\\', u"\\\\"_qs);
    text.replace(u'"', u"\\\""_qs);
    return u"\""_qs + text + u"\""_qs;
}

QString filterExpressionForCell(
    const Session& session, NodeId id, CellKind cell, const StoredEvent* event);

// Pids are per host: among several hosts, an expression about one process names its host.
QString onItsHost(const Session& session, const ProcessNode& node, const QString& expression)
{
    if (!session.severalHosts())
        return expression;
    return u"(%1) and host == %2"_qs.arg(expression, filterString(session.host(node.host).label));
}

QString subtreeExpression(const Session& session, const ProcessNode& node)
{
    return onItsHost(session, node, u"pid == %1 or descendant_of(%1)"_qs.arg(node.pid));
}

QString filterExpressionFor(
    const Session& session, NodeId id, CellKind cell, const StoredEvent* event)
{
    QString expression = filterExpressionForCell(session, id, cell, event);
    if (id != kNoNode && id < session.lineage().size() && expression.startsWith(u"pid == "_qs))
        expression = onItsHost(session, session.lineage().node(id), expression);
    return expression;
}

QString filterExpressionForCell(
    const Session& session, NodeId id, CellKind cell, const StoredEvent* event)
{
    if (cell == CellKind::Type && event)
        return u"type == %1"_qs.arg(QString::fromLatin1(eventKindName(event->kind)));
    if (id == kNoNode || id >= session.lineage().size())
        return event ? u"type == %1"_qs.arg(QString::fromLatin1(eventKindName(event->kind)))
                     : QString();
    const ProcessNode& node = session.lineage().node(id);
    switch (cell) {
    case CellKind::Name:
        return u"comm == "_qs + filterString(session.strings().view(node.name));
    case CellKind::User:
        return node.idsKnown ? u"euid == %1"_qs.arg(node.euid) : u"pid == %1"_qs.arg(node.pid);
    case CellKind::CommandLine: {
        const ExecInfo* exec = session.lineage().lastExec(id);
        if (event && event->kind == EventKind::Exec)
            exec = &session.lineage().exec(event->a);
        if (!exec || exec->argc == 0)
            return u"pid == %1"_qs.arg(node.pid);
        return u"argv contains "_qs + filterString(argvOf(session.strings(), *exec).front());
    }
    case CellKind::Status: {
        if (!node.exitStatus)
            return u"pid == %1"_qs.arg(node.pid);
        const auto status = protocol::decodeWaitStatus(*node.exitStatus);
        if (status.kind == protocol::WaitStatus::Kind::Killed)
            return u"exit_signal == %1"_qs.arg(
                QString::fromStdString(protocol::signalName(status.signal)));
        return u"exit_code == %1"_qs.arg(status.code);
    }
    default:
        if (cell >= CellKind::CostCpu) {
            const auto column = static_cast<CostColumn>(
                static_cast<int>(cell) - static_cast<int>(CellKind::CostCpu));
            if (const auto expression = costFilterExpression(session, id, column);
                !expression.isEmpty())
                return expression;
        }
        return u"pid == %1"_qs.arg(node.pid);
    }
}

} // namespace procscope::ui
