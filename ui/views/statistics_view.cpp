// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/statistics_view.h"

#include "models/display_filter_state.h"
#include "document/navigator.h"

#include "document/capture_document.h"
#include "models/cost_columns.h"
#include "models/display_text.h"
#include "protocol/wait_status.h"
#include "session/statistics.h"
#include "views/filter_expressions.h"

#include <QHeaderView>
#include <QLocale>
#include <QRegularExpression>

namespace procscope::ui {

using namespace session;

namespace {

QTreeWidgetItem* section(QTreeWidget* tree, const QString& title)
{
    auto* item = new QTreeWidgetItem(tree, { title });
    QFont bold = item->font(0);
    bold.setBold(true);
    item->setFont(0, bold);
    item->setFirstColumnSpanned(true);
    return item;
}

QTreeWidgetItem* entry(QTreeWidgetItem* parent, const QString& label, const QString& value, const QString& filter = {}, NodeId node = kNoNode)
{
    auto* item = new QTreeWidgetItem(parent, { label, value });
    item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    if (!filter.isEmpty()) {
        item->setData(0, StatisticsView::FilterRole, filter);
        item->setToolTip(0, QObject::tr("Enter or double-click: filter with %1").arg(filter));
    }
    if (node != kNoNode) {
        item->setData(0, StatisticsView::NodeRole, node);
        item->setToolTip(0, QObject::tr("Enter or double-click: select this process"));
    }
    return item;
}

QTreeWidgetItem* entry(QTreeWidgetItem* parent, const QString& label, std::uint64_t count, const QString& filter = {}, NodeId node = kNoNode)
{
    return entry(parent, label, QLocale().toString(qulonglong(count)), filter, node);
}

// Every event of the processes running `program` (as its file name, wherever it lies).
QString programFilter(const QString& program)
{
    return u"exe ~ "_qs + filterString(u"(^|/)%1$"_qs.arg(QRegularExpression::escape(program)).toStdString());
}

// The same for a program named by what was known of it: its executable, first argument or comm.
QString programFilter(const Statistics::ProgramCost& cost)
{
    const QString name = bytesToText(cost.program);
    switch (cost.namedBy) {
    case Statistics::ProgramCost::NamedBy::Exe: return programFilter(name);
    case Statistics::ProgramCost::NamedBy::Argv:
        return u"argv ~ "_qs + filterString(u"(^|/)%1$"_qs.arg(QRegularExpression::escape(name)).toStdString());
    case Statistics::ProgramCost::NamedBy::Comm: break;
    }
    return u"comm == "_qs + filterString(cost.program);
}

} // namespace

StatisticsView::StatisticsView(CaptureDocument* document, QWidget* parent)
    : QTreeWidget(parent)
    , m_document(document)
{
    setObjectName(u"statistics"_qs);
    setAccessibleName(tr("Statistics"));
    setColumnCount(2);
    setHeaderLabels({ tr("Statistic"), tr("Value") });
    headerItem()->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    header()->setStretchLastSection(false);
    header()->resizeSection(1, 110); // right after the names: a count far from its name is hard to follow
    setAlternatingRowColors(true);
    setUniformRowHeights(true);
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(2000); // statistics walk the whole session: not more often live
    connect(&m_refreshTimer, &QTimer::timeout, this, &StatisticsView::refresh);
    connect(document, &CaptureDocument::changed, this, [this] {
        m_stale = true;
        if (isVisible() && !m_refreshTimer.isActive())
            m_refreshTimer.start();
    });
    // Statistics walk the whole session: a hidden view waits until it is shown.
    connect(document, &CaptureDocument::reset, this, [this] {
        m_stale = true;
        if (isVisible())
            refresh();
    });
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const QString filter = item->data(0, FilterRole).toString();
        if (!filter.isEmpty())
            emit filterRequested(filter);
        const QVariant node = item->data(0, NodeRole);
        if (node.isValid())
            emit nodeRequested(node.toUInt());
    });
    connect(this, &StatisticsView::filterRequested, document->displayFilter(), [filter = document->displayFilter()](const QString& expression) { filter->request(expression, true); });
    connect(this, &StatisticsView::nodeRequested, document->navigator(), &Navigator::selectNode);
}

QTreeWidgetItem* StatisticsView::find(const QString& sectionTitle, const QString& label) const
{
    for (int s = 0; s < topLevelItemCount(); ++s) {
        QTreeWidgetItem* top = topLevelItem(s);
        if (top->text(0) != sectionTitle)
            continue;
        for (int i = 0; i < top->childCount(); ++i) {
            if (top->child(i)->text(0).startsWith(label))
                return top->child(i);
        }
    }
    return nullptr;
}

void StatisticsView::showEvent(QShowEvent* event)
{
    QTreeWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void StatisticsView::refresh()
{
    m_stale = false;
    clear();
    const Session* session = m_document->session();
    if (!session)
        return;
    const Statistics stats = computeStatistics(*session, 15);
    QTreeWidgetItem* events = section(this, tr("Events"));
    for (std::size_t k = 0; k < kEventKindCount; ++k) {
        if (stats.eventsByKind[k] == 0 || static_cast<EventKind>(k) == EventKind::Loss)
            continue;
        const QString kind = QString::fromLatin1(eventKindName(static_cast<EventKind>(k)));
        // Threads fork and exit too: why there are more exits than processes that exited.
        const bool threadsToo = static_cast<EventKind>(k) == EventKind::Fork || static_cast<EventKind>(k) == EventKind::Exit;
        entry(events, threadsToo ? tr("%1 (processes and threads)").arg(kind) : kind, stats.eventsByKind[k], u"type == %1"_qs.arg(kind));
    }
    QTreeWidgetItem* processes = section(this, tr("Processes"));
    entry(processes, tr("seen"), stats.processesSeen);
    entry(processes, tr("started during the capture"), stats.processesStarted);
    entry(processes, tr("exited"), stats.processesExited, u"type == exit"_qs);
    entry(processes, tr("short-lived (under 1 s)"), stats.shortLived);

    if (session->costsRecorded()) {
        // What each program cost, all its processes together; each row filters to them.
        const auto costSection = [&](const QString& title, const std::vector<Statistics::ProgramCost>& ranked, auto figure, CostUnit unit) {
            QTreeWidgetItem* top = section(this, title);
            for (const auto& cost : ranked) {
                const QString name = bytesToText(cost.program);
                const QString label = tr("%1 (%Ln processes)", nullptr, pluralForm(cost.processes)).arg(name);
                entry(top, label, quantityText(figure(cost), unit), programFilter(cost));
            }
            if (ranked.empty())
                entry(top, tr("no figures yet"), QString());
        };
        costSection(tr("Most CPU time by program (processes started during the capture)"), stats.topByCpu, [](const auto& c) { return c.cpuNs; }, CostUnit::Nanoseconds);
        costSection(tr("Most memory by program (largest peak of one process)"), stats.topByMemory, [](const auto& c) { return c.largestRssBytes; }, CostUnit::Bytes);
        costSection(tr("Most disk read and written by program"), stats.topByDisk, [](const auto& c) { return c.diskBytes; }, CostUnit::Bytes);
    }
    QTreeWidgetItem* programs = section(this, tr("Programs executed most"));
    for (const auto& [program, count] : stats.topCommands) {
        const QString name = bytesToText(program);
        const auto runAs = stats.commandNames.find(program);
        entry(programs, runAs == stats.commandNames.end() ? name : tr("%1 (named %2)").arg(name, bytesToText(runAs->second)), count,
            u"type == exec and "_qs + programFilter(name));
    }
    QTreeWidgetItem* parents = section(this, tr("Parents with the most children"));
    for (const auto& [node, count] : stats.topParents) {
        const ProcessNode& parent = session->lineage().node(node);
        entry(parents, u"%1 [%2]"_qs.arg(processNameText(*session, parent)).arg(parent.pid), count, {}, node);
    }
    QTreeWidgetItem* failures = section(this, tr("Failures"));
    entry(failures, tr("non-zero exits"), stats.nonzeroExits, u"exit_code != 0"_qs);
    for (const auto& [signal, count] : stats.killedBySignal) {
        const QString name = QString::fromStdString(protocol::signalName(signal));
        entry(failures, tr("killed by %1").arg(name), count, u"exit_signal == %1"_qs.arg(name));
    }
    entry(failures, tr("core dumps"), stats.coreDumps, u"core_dumped"_qs);
    QTreeWidgetItem* credentials = section(this, tr("Credential changes"));
    entry(credentials, tr("uid changes"), stats.eventsByKind[static_cast<std::size_t>(EventKind::Uid)], u"type == uid"_qs);
    entry(credentials, tr("gid changes"), stats.eventsByKind[static_cast<std::size_t>(EventKind::Gid)], u"type == gid"_qs);
    QTreeWidgetItem* losses = section(this, tr("Losses"));
    for (std::size_t r = 0; r < capture::kLossReasonCount; ++r)
        entry(losses, QString::fromLatin1(capture::lossReasonName(static_cast<capture::LossReason>(r + 1))), stats.losses[r], u"type == loss"_qs);
    // Figures that could not be applied: damage in the file (or a helper's mistake), left out.
    const CostTally tally = session->costs().tally();
    if (tally.unknownProcess != 0 || tally.duplicated != 0) {
        entry(losses, tr("figures for processes not in the capture (left out)"), tally.unknownProcess);
        entry(losses, tr("duplicated figures (left out)"), tally.duplicated);
    }
    expandAll();
    resizeColumnToContents(0);
    header()->resizeSection(0, std::clamp(header()->sectionSize(0) + 24, 200, std::max(200, viewport()->width() * 2 / 3)));
}

} // namespace procscope::ui
