// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/cost_details.h"

#include "models/cost_columns.h"
#include "session/cost_fields.h"

#include <QCoreApplication>

namespace procscope::ui {

using namespace session;

namespace {

struct CostDetails {
    Q_DECLARE_TR_FUNCTIONS(CostDetails)
};

QString figureRow(const char* label, const char* name, std::uint64_t value, CostUnit unit)
{
    return u"<tr><td nowrap style=\"padding-right:12px; color:palette(placeholder-text)\">%1</td>"
           "<td nowrap align=\"right\" style=\"padding-right:12px\">%2</td>"
           "<td nowrap style=\"color:palette(placeholder-text)\"><tt>%3</tt></td></tr>"_qs.arg(
        QCoreApplication::translate("CostFields", label).toHtmlEscaped(), quantityText(value, unit).toHtmlEscaped(), QString::fromLatin1(name));
}

QString whyNone(const Session& session, const ProcessNode& node)
{
    // Each host's helper says whether it ran privileged (several hosts may differ).
    const auto& header = session.headerOf(node.host);
    const bool privileged = header && (header->flags & capture::header_flags::kPrivileged);
    if (!privileged)
        return CostDetails::tr("Not recorded: the capture ran without privileges (what each process cost needs the kernel's accounting, "
                               "open to a privileged capture only).");
    if (!session.costsRecorded())
        return CostDetails::tr("Not recorded: this capture was made before Procscope recorded what processes cost. A new capture has them.");
    if (node.running())
        return session.host(node.host).trailer
            ? CostDetails::tr("None: the process was not running any more when the capture stopped, and its exit was not seen.")
            : CostDetails::tr("Not yet: figures come when the process exits, or when the capture stops.");
    return CostDetails::tr("None came for this process: see the losses in the status bar.");
}

} // namespace

QString costDetailsHtml(const Session& session, NodeId id)
{
    const ProcessNode& node = session.lineage().node(id);
    QString out = u"<h4 style=\"margin-bottom:2px\">%1</h4>"_qs.arg(CostDetails::tr("Resources"));
    const ProcessCost* cost = session.costs().own(id);
    if (!cost) {
        out += u"<p><i>%1</i></p>"_qs.arg(whyNone(session, node).toHtmlEscaped());
    } else {
        if (cost->running)
            out += u"<p><i>%1</i></p>"_qs.arg(CostDetails::tr("So far: the process was still running when the capture stopped (CPU time to the clock tick, context switches of its main thread)."));
        else if (!cost->complete)
            out += u"<p><i>%1</i></p>"_qs.arg(CostDetails::tr("Its threads that ended so far; the rest come when it exits."));
        out += u"<table cellspacing=\"0\" cellpadding=\"1\">"_qs;
        for (const CostField& field : costFields())
            out += figureRow(field.label, field.name, field.own(*cost), field.unit);
        out += u"</table>"_qs;
        out += u"<p style=\"color:palette(placeholder-text); margin-top:2px\">%1</p>"_qs.arg(
            CostDetails::tr("Storage counts what reached the disk (reads served from the page cache count as 0); all I/O counts files, pipes and sockets.").toHtmlEscaped());
    }
    if (session.costs().any() && node.firstChild != kNoNode) {
        out += u"<p style=\"margin-bottom:0\">%1</p><table cellspacing=\"0\" cellpadding=\"1\">"_qs.arg(CostDetails::tr("With all its descendants:"));
        const SubtreeCost subtree = session.costs().subtree(id);
        for (const SubtreeField& field : subtreeFields())
            out += figureRow(field.label, field.name, subtreeValue(subtree, field.figure), field.unit);
        out += u"</table>"_qs;
    }
    return out;
}

} // namespace procscope::ui
