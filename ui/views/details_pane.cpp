// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/details_pane.h"

#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "document/navigator.h"

#include "models/display_text.h"
#include "views/cost_details.h"
#include "views/filter_expressions.h"

#include <QScrollBar>
#include <QUrl>

namespace procscope::ui {

using namespace session;

namespace {

constexpr std::size_t kEventsShown = 300;
constexpr std::size_t kChildrenShown = 40;

QString esc(const QString& text) { return text.toHtmlEscaped(); }
QString italic(const QString& text) { return u"<i>%1</i>"_qs.arg(esc(text)); }

QString row(const QString& label, const QString& valueHtml)
{
    return u"<tr><td nowrap style=\"padding-right:12px; color:palette(placeholder-text)\" valign=\"top\">%1</td><td>%2</td></tr>"_qs.arg(esc(label), valueHtml);
}

QString nodeLink(const Session& session, NodeId id)
{
    const ProcessNode& node = session.lineage().node(id);
    return u"<a href=\"node:%1\">%2&nbsp;[%3]</a>"_qs.arg(id).arg(esc(processNameText(session, node))).arg(node.pid);
}

QString unreadable(const Session& session, const ProcessNode& node, bool described)
{
    const auto& header = session.headerOf(node.host); // each host's helper says how it ran
    const bool reduced = header && (header->flags & capture::header_flags::kEnrichmentReduced);
    if (node.placeholder)
        return italic(DetailsPane::tr("not known: the process was only seen in later events"));
    if (!described)
        return italic(node.running() ? DetailsPane::tr("not read yet") : DetailsPane::tr("not read: the process was gone before /proc could be read"));
    return italic(reduced ? DetailsPane::tr("not readable: captured without elevation (details of other users' processes are reduced)")
                          : DetailsPane::tr("not readable"));
}

// A program's arguments, one a line: copyable, and a long one is never split at a hyphen into
// what would pass for two.
QString argumentLines(const Session& session, const ExecInfo& exec)
{
    QStringList lines;
    for (const std::string_view arg : argvOf(session.strings(), exec))
        lines << esc(bytesToText(arg));
    return u"<pre style=\"margin:0\">%1</pre>"_qs.arg(lines.join(u'\n'));
}

QString ids(std::uint32_t real, std::uint32_t effective, bool userIds) // or group ids
{
    const auto name = [userIds](std::uint32_t id) { return (userIds ? userName(id) : groupName(id)) + u" (%1)"_qs.arg(id); };
    return real == effective ? esc(name(real)) : QObject::tr("real %1, effective %2").arg(esc(name(real)), esc(name(effective)));
}

} // namespace

DetailsPane::DetailsPane(QWidget* parent)
    : QTextBrowser(parent)
{
    setObjectName(u"detailsPane"_qs);
    setAccessibleName(QObject::tr("Process details"));
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setTextInteractionFlags(Qt::TextBrowserInteraction | Qt::TextSelectableByKeyboard);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        const QString target = url.toString();
        if (target.startsWith(u"node:"_qs))
            emit nodeRequested(target.mid(5).toUInt());
        else if (target.startsWith(u"filter:"_qs))
            emit filterRequested(QUrl::fromPercentEncoding(target.mid(7).toUtf8()));
    });
    clearDetails();
}

void DetailsPane::bindTo(CaptureDocument* document)
{
    connect(document, &CaptureDocument::reset, this, [this, document] { setSession(document->session()); });
    connect(document->navigator(), &Navigator::currentNodeChanged, this, &DetailsPane::showNode);
    connect(document->navigator(), &Navigator::currentEventChanged, this, &DetailsPane::showEvent);
    connect(this, &DetailsPane::nodeRequested, document->navigator(), &Navigator::selectNode);
    connect(this, &DetailsPane::filterRequested, document->displayFilter(), [filter = document->displayFilter()](const QString& expression) { filter->request(expression, true); });
}

void DetailsPane::setSession(const Session* session)
{
    m_session = session;
    m_index.clear();
    clearDetails();
}

void DetailsPane::clearDetails()
{
    m_node = kNoNode;
    m_eventRow = SIZE_MAX;
    setHtml(u"<p style=\"color:palette(placeholder-text)\">%1</p>"_qs.arg(esc(tr("Select a process or an event to see everything known about it."))));
}

void DetailsPane::showNode(NodeId node)
{
    if (!m_session || node == kNoNode || node >= m_session->lineage().size()) {
        clearDetails();
        return;
    }
    m_node = node;
    m_eventRow = SIZE_MAX;
    m_eventsSeen = m_session->events().size();
    m_costsSeen = m_session->costs().tally().records;
    setHtml(html(node, SIZE_MAX));
}

void DetailsPane::showEvent(std::size_t storeRow)
{
    if (!m_session || storeRow >= m_session->events().size()) {
        clearDetails();
        return;
    }
    m_node = m_session->events()[storeRow].node;
    m_eventRow = storeRow;
    m_eventsSeen = m_session->events().size();
    m_costsSeen = m_session->costs().tally().records;
    setHtml(html(m_node, storeRow));
}

void DetailsPane::refreshIfChanged()
{
    if (!m_session || m_node == kNoNode
        || (m_session->events().size() == m_eventsSeen && m_session->costs().tally().records == m_costsSeen))
        return;
    m_costsSeen = m_session->costs().tally().records;
    const int scroll = verticalScrollBar()->value();
    m_eventsSeen = m_session->events().size();
    setHtml(html(m_node, m_eventRow));
    verticalScrollBar()->setValue(scroll);
}

QString DetailsPane::html(NodeId id, std::size_t eventRow) const
{
    const Session& session = *m_session;
    const Lineage& lineage = session.lineage();
    QString out;
    if (eventRow != SIZE_MAX) {
        const StoredEvent& event = session.events()[eventRow];
        out += u"<p><b>%1</b> %2 &nbsp; <span style=\"color:palette(placeholder-text)\">%3</span></p>"_qs.arg(
            esc(eventKindLabel(event.kind)), esc(eventDetails(session, event)), esc(wallClockDateTime(session, event.timestampNs)));
        if (id == kNoNode)
            return out;
    }
    const ProcessNode& node = lineage.node(id);
    out += u"<h3 style=\"margin-bottom:2px\">%1 <span style=\"font-weight:normal\">[pid %2]</span></h3>"_qs.arg(esc(processNameText(session, node))).arg(node.pid);
    out += u"<table cellspacing=\"0\" cellpadding=\"1\">"_qs;
    QString state = esc(processStateText(node));
    if (!node.running() && node.startNs && node.endNs >= node.startNs)
        state += tr(" after %1").arg(esc(durationText(node.endNs - node.startNs)));
    const ProcessOutcome outcome = processOutcome(node);
    if (outcome == ProcessOutcome::Failed || outcome == ProcessOutcome::Killed)
        state = u"<span style=\"color:#d03030; font-weight:bold\">%1</span>"_qs.arg(state);
    out += row(tr("Status"), state);
    out += row(tr("Started"), node.startNs ? esc(wallClockDateTime(session, node.startNs)) + (node.fromSnapshot ? tr(" (before the capture)") : QString())
                                           : node.fromSnapshot ? tr("before the capture") : italic(tr("not seen")));
    if (!node.running())
        out += row(tr("Ended"), esc(wallClockDateTime(session, node.endNs)));

    // Lineage: the oldest known ancestor first, each a link.
    QStringList chain;
    for (NodeId at = node.parent, depth = 0; at != kNoNode && depth < 256; at = lineage.node(at).parent, ++depth)
        chain.prepend(nodeLink(session, at));
    chain << u"<b>%1</b>"_qs.arg(esc(processNameText(session, node)));
    out += row(tr("Lineage"), chain.size() > 1 ? chain.join(u" &rsaquo; "_qs) : italic(node.parentPid ? tr("no known parent (parent pid %1)").arg(node.parentPid) : tr("no known parent")));
    if (node.reaperPid && node.reaperPid != node.parentPid)
        out += row(tr("Reaped by"), tr("pid %1 (its parent had exited)").arg(node.reaperPid));
    if (session.severalHosts())
        out += row(tr("Host"), esc(QString::fromStdString(session.host(node.host).label)));
    out += row(tr("User"), node.idsKnown ? ids(node.ruid, node.euid, true) : unreadable(session, node, lineage.lastExec(id) && lineage.lastExec(id)->described));
    if (node.idsKnown)
        out += row(tr("Group"), ids(node.rgid, node.egid, false));
    out += row(tr("Session leader"), node.sessionLeader ? tr("yes") : tr("no"));
    if (node.tracerTgid)
        out += row(tr("Traced by"), lineage.find(node.tracerTgid, node.host) != kNoNode ? nodeLink(session, lineage.find(node.tracerTgid, node.host)) : tr("pid %1").arg(node.tracerTgid));
    out += row(tr("Threads"), node.running() ? tr("%1 running, %2 started during the capture").arg(node.liveThreads).arg(node.threadsSeen)
                                             : tr("%1 started during the capture").arg(node.threadsSeen));
    const std::vector<NodeId> children = lineage.childrenOf(id);
    QStringList childLinks;
    for (std::size_t i = 0; i < children.size() && i < kChildrenShown; ++i)
        childLinks << nodeLink(session, children[i]);
    if (children.size() > kChildrenShown)
        childLinks << tr("and %1 more").arg(children.size() - kChildrenShown);
    out += row(tr("Children"), children.empty() ? tr("none") : tr("%1: %2").arg(children.size()).arg(childLinks.join(u", "_qs)));
    // The latest program: exe and cwd in the same table (values aligned), then its arguments one
    // per line (selectable, copyable).
    const ExecInfo* exec = lineage.lastExec(id);
    out += row(tr("Executable"), exec && exec->exe ? u"<tt>%1</tt>"_qs.arg(esc(bytesToText(session.strings().view(exec->exe)))) : unreadable(session, node, exec && exec->described));
    out += row(tr("Working directory"), exec && exec->cwd ? u"<tt>%1</tt>"_qs.arg(esc(bytesToText(session.strings().view(exec->cwd)))) : unreadable(session, node, exec && exec->described));
    out += u"</table>"_qs;
    out += costDetailsHtml(session, id);

    out += u"<h4 style=\"margin-bottom:2px\">%1</h4>"_qs.arg(tr("Command line"));
    if (exec && exec->argc > 0) {
        out += argumentLines(session, *exec);
    } else if (exec && exec->exitedBeforeRead) {
        out += u"<p><i>%1</i></p>"_qs.arg(esc(commandLineText(session, id)));
    } else {
        out += u"<p>%1</p>"_qs.arg(exec && exec->described && !exec->exe ? italic(tr("none (a kernel thread)")) : unreadable(session, node, exec && exec->described));
    }

    const auto execs = lineage.execsOf(id);
    if (execs.size() > 1) { // a single exec is the command line above (its time is among the events below)
        out += u"<h4 style=\"margin-bottom:2px\">%1</h4><table cellspacing=\"0\" cellpadding=\"1\">"_qs.arg(tr("Programs run (exec history)"));
        for (const ExecInfo* e : execs)
            out += row(e->timestampNs ? wallClockTime(session, e->timestampNs) : tr("before capture"),
                e->argc ? argumentLines(session, *e) : unreadable(session, node, e->described));
        out += u"</table>"_qs;
    }
    const auto comms = lineage.commsOf(id);
    if (comms.size() > 1) {
        out += u"<h4 style=\"margin-bottom:2px\">%1</h4><table cellspacing=\"0\" cellpadding=\"1\">"_qs.arg(tr("Names (comm history)"));
        for (const CommChange* c : comms)
            out += row(c->timestampNs ? wallClockTime(session, c->timestampNs) : tr("before capture"),
                esc(bytesToText(session.strings().view(c->comm))) + (c->tid != node.pid ? tr(" (thread %1)").arg(c->tid) : QString()));
        out += u"</table>"_qs;
    }

    // Its own events, credential changes among them, with times.
    QString events;
    std::size_t count = 0;
    m_index.catchUp(session);
    m_index.forEach(id, [&](std::size_t r) {
        if (++count > kEventsShown)
            return true; // counted, not shown
        const StoredEvent& event = session.events()[r];
        const bool selected = r == eventRow;
        events += u"<tr%4><td style=\"padding-right:8px\">%1</td><td style=\"padding-right:8px\">%2</td><td>%3</td></tr>"_qs.arg(
            esc(wallClockTime(session, event.timestampNs)), esc(eventKindLabel(event.kind)), esc(eventDetails(session, event)),
            selected ? u" style=\"background:palette(highlight); color:palette(highlighted-text)\""_qs : QString());
        return true;
    });
    out += u"<h4 style=\"margin-bottom:2px\">%1</h4>"_qs.arg(tr("Events (%1)").arg(count));
    if (count == 0)
        out += u"<p>%1</p>"_qs.arg(italic(tr("none captured")));
    else
        out += u"<table cellspacing=\"0\" cellpadding=\"1\">"_qs + events + u"</table>"_qs
            + (count > kEventsShown ? u"<p>%1 <a href=\"filter:%2\">%3</a></p>"_qs.arg(esc(tr("First %1 shown.").arg(kEventsShown)),
                                                  QString::fromUtf8(QUrl::toPercentEncoding(u"pid == %1"_qs.arg(node.pid))), esc(tr("Filter the event table to this process")))
                                        : QString());
    out += u"<p><a href=\"filter:%1\">%2</a></p>"_qs.arg(QString::fromUtf8(QUrl::toPercentEncoding(subtreeExpression(session, node))), tr("Filter to this process and its descendants"));
    return out;
}

} // namespace procscope::ui
