// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/process_tree_view.h"

#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "document/navigator.h"
#include "document/view_options.h"
#include "models/display_text.h"
#include "models/process_tree_filter.h"
#include "models/process_tree_model.h"
#include "session/process_identity.h"
#include "views/column_chooser.h"
#include "views/filter_expressions.h"
#include "views/item_actions.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QShortcut>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace procscope::ui {

using namespace session;

namespace {


// A tree view whose expansions can be batched: with a layout pending, expand() only records the
// index, so many expansions cost one layout instead of one each.
class ProcessTreeWidget final : public QTreeView {
public:
    using QTreeView::QTreeView;
    void expandTogether(const std::vector<QModelIndex>& indexes)
    {
        if (indexes.empty())
            return;
        scheduleDelayedItemsLayout();
        for (const QModelIndex& index : indexes)
            expand(index);
    }
};

} // namespace

ProcessTreeView::ProcessTreeView(CaptureDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_filter(new ProcessTreeFilter(this))
    , m_tree(new ProcessTreeWidget(this))
    , m_search(new QLineEdit(this))
    , m_matchLabel(new QLabel(this))
    , m_followBox(new QCheckBox(tr("&Follow new processes"), this))
{
    m_filter->setDisplayFilter(document->displayFilter()); // its source is set while it is shown
    connect(document->displayFilter(), &DisplayFilterState::applied, this, &ProcessTreeView::onFilterApplied);
    m_tree->setModel(document->treeModel());
    m_tree->setUniformRowHeights(true);
    m_tree->setIndentation(12); // process trees run deep: keep room for the names
    m_tree->setAlternatingRowColors(true);
    m_tree->setSortingEnabled(true);
    m_tree->header()->setSortIndicatorClearable(true); // a third click goes back to the order they became known
    m_tree->sortByColumn(-1, Qt::AscendingOrder);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->resizeSection(ProcessTreeModel::Name, 240);
    m_tree->header()->resizeSection(ProcessTreeModel::Pid, 70);
    m_tree->header()->resizeSection(ProcessTreeModel::User, 80);
    m_tree->header()->resizeSection(ProcessTreeModel::Started, 110);
    m_tree->header()->resizeSection(ProcessTreeModel::Duration, 80);
    m_tree->header()->resizeSection(ProcessTreeModel::Status, 135);
    // What each process cost: CPU (own and with descendants) and memory shown, the rest a
    // right click away. (Saved layouts are kept under a new key since these columns came.)
    for (int column = ProcessTreeModel::Cpu; column <= ProcessTreeModel::TreeWritten; ++column) {
        const QString title = document->treeModel()->headerData(column, Qt::Horizontal).toString();
        m_tree->header()->resizeSection(column, std::max(m_tree->fontMetrics().horizontalAdvance(u"000.00 MiB"_qs), m_tree->fontMetrics().horizontalAdvance(title)) + 18);
        m_tree->header()->setSectionHidden(column, column != ProcessTreeModel::Cpu && column != ProcessTreeModel::TreeCpu && column != ProcessTreeModel::Memory);
    }
    addColumnChooser(m_tree->header());
    m_tree->setObjectName(u"processTree"_qs);
    m_tree->setAccessibleName(tr("Process tree"));
    m_tree->setAccessibleDescription(tr("Processes under the process that started them; exited ones stay, with how they ended"));

    m_search->setObjectName(u"treeSearch"_qs);
    m_search->setPlaceholderText(tr("Search name, PID or command line (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search processes"));
    m_search->setClearButtonEnabled(true);
    m_matchLabel->setAccessibleName(tr("Search matches"));
    m_matchLabel->setMinimumWidth(90);
    m_followBox->setToolTip(tr("Select and reveal each new process as it starts"));

    auto* previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+F3)"));
    previous->setAccessibleName(tr("Previous match"));
    auto* next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (F3)"));
    next->setAccessibleName(tr("Next match"));
    auto* expand = new QToolButton(this);
    expand->setText(tr("Expand All"));
    auto* collapse = new QToolButton(this);
    collapse->setText(tr("Collapse All"));

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 0);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_matchLabel);
    bar->addWidget(previous);
    bar->addWidget(next);
    bar->addSpacing(12);
    bar->addWidget(expand);
    bar->addWidget(collapse);
    bar->addWidget(m_followBox);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_tree, 1);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(200);
    connect(&m_searchDelay, &QTimer::timeout, this, [this] { search(m_search->text()); });
    connect(m_search, &QLineEdit::textEdited, this, [this] { m_searchDelay.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (m_searchDelay.isActive()) {
            m_searchDelay.stop();
            search(m_search->text());
        } else {
            nextMatch(1);
        }
    });
    connect(previous, &QToolButton::clicked, this, [this] { nextMatch(-1); });
    connect(next, &QToolButton::clicked, this, [this] { nextMatch(1); });
    connect(expand, &QToolButton::clicked, this, &ProcessTreeView::expandAll);
    connect(collapse, &QToolButton::clicked, this, &ProcessTreeView::collapseAll);
    connect(m_followBox, &QCheckBox::toggled, this, &ProcessTreeView::setFollowNew);
    bindTo(document->navigator(), document->viewOptions());
    auto* f3 = new QShortcut(QKeySequence(Qt::Key_F3), this);
    connect(f3, &QShortcut::activated, this, [this] { nextMatch(1); });
    auto* shiftF3 = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3), this);
    connect(shiftF3, &QShortcut::activated, this, [this] { nextMatch(-1); });
    auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), m_search, nullptr, nullptr, Qt::WidgetShortcut);
    connect(escape, &QShortcut::activated, this, [this] {
        m_search->clear();
        search({});
        m_tree->setFocus();
    });

    // Both models: the signals of the one shown count.
    for (QAbstractItemModel* model : { static_cast<QAbstractItemModel*>(document->treeModel()), static_cast<QAbstractItemModel*>(m_filter) }) {
        connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this, model] {
            if (m_tree->model() == model)
                rememberTop();
        });
        connect(model, &QAbstractItemModel::rowsInserted, this, [this, model](const QModelIndex& under, int first, int last) {
            if (m_tree->model() == model)
                onRowsInserted(under, first, last);
        });
        // A host joining a live capture lays the top level out again: its hosts open, as at the
        // start.
        connect(model, &QAbstractItemModel::modelReset, this, [this, model] {
            if (const Session* session = m_document->session(); m_tree->model() == model && session && session->severalHosts())
                openAsNew();
        });
    }
    followCurrentRow();
    // After QTreeView's own handler, which sorts the model shown: the tree in the order
    // processes became known needs no proxy, a sorted one does.
    connect(m_tree->header(), &QHeaderView::sortIndicatorChanged, this, [this](int column, Qt::SortOrder order) {
        if (column >= 0 && !showsThroughProxy()) {
            showThroughProxy(true);
            m_filter->sort(column, order);
        } else if (column < 0) {
            showThroughProxy(needsProxy()); // a third click: the order they became known
        }
    });
    connect(document, &CaptureDocument::reset, this, [this] {
        m_filter->setSession(m_document->session());
        m_matches.clear();
        m_matchIndex = -1;
        m_matchLabel->clear();
        m_topAnchor = QPersistentModelIndex();
        openAsNew();
        if (!m_search->text().isEmpty())
            search(m_search->text());
    });
}

bool ProcessTreeView::showsThroughProxy() const { return m_tree->model() == m_filter; }

bool ProcessTreeView::needsProxy() const
{
    const int sorted = m_tree->header()->sortIndicatorSection();
    return m_document->displayFilter()->active() || m_document->viewOptions()->hideExitedSeconds() > 0
        || (sorted >= 0 && sorted < ProcessTreeModel::ColumnCount);
}

QModelIndex ProcessTreeView::viewIndex(const QModelIndex& treeIndex) const
{
    return showsThroughProxy() ? m_filter->mapFromSource(treeIndex) : treeIndex;
}

void ProcessTreeView::followCurrentRow()
{
    // Each model shown comes with a selection model of its own.
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        const NodeId node = currentNode();
        m_document->navigator()->selectNode(node);
        emit currentNodeChanged(node);
    });
}

void ProcessTreeView::showThroughProxy(bool throughProxy)
{
    if (throughProxy == showsThroughProxy())
        return;
    // What is open, what is current and how the columns are stay as they were.
    const NodeId current = currentNode();
    std::vector<NodeId> open;
    std::vector<QModelIndex> pending { m_tree->rootIndex() };
    while (!pending.empty()) {
        const QModelIndex parent = pending.back();
        pending.pop_back();
        const int rows = m_tree->model()->rowCount(parent);
        for (int row = 0; row < rows; ++row) {
            const QModelIndex child = m_tree->model()->index(row, 0, parent);
            if (m_tree->isExpanded(child)) {
                // The tree model's item: a process, or a host's row.
                const QModelIndex item = showsThroughProxy() ? m_filter->mapToSource(child) : child;
                open.push_back(static_cast<NodeId>(item.internalId()));
                pending.push_back(child);
            }
        }
    }
    const QByteArray header = m_tree->header()->saveState();
    ProcessTreeModel* model = m_document->treeModel();
    // A proxy not shown must not follow the model: it would map every process for nothing.
    QItemSelectionModel* previous = m_tree->selectionModel(); // setModel() leaves it to its owner
    if (throughProxy) {
        m_filter->setSourceModel(model);
        m_filter->refilter(); // it takes the display filter's results as they are now
        m_tree->setModel(m_filter);
    } else {
        m_tree->setModel(model);
        m_filter->setSourceModel(nullptr);
    }
    delete previous;
    m_tree->header()->restoreState(header);
    if (throughProxy && m_tree->header()->sortIndicatorSection() >= 0)
        m_filter->sort(m_tree->header()->sortIndicatorSection(), m_tree->header()->sortIndicatorOrder());
    followCurrentRow();
    std::vector<QModelIndex> reopen;
    for (const NodeId node : open) {
        if (const QModelIndex index = viewIndex(model->indexOf(node)); index.isValid())
            reopen.push_back(index);
    }
    static_cast<ProcessTreeWidget*>(m_tree)->expandTogether(reopen);
    if (current != kNoNode)
        selectNode(current);
}

void ProcessTreeView::restoreHeader(const QByteArray& state)
{
    // A sort it holds comes through the filter (showThroughProxy() sorts by the indicator).
    if (m_tree->header()->restoreState(state))
        showThroughProxy(needsProxy());
}

void ProcessTreeView::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void ProcessTreeView::bindTo(Navigator* navigator, ViewOptions* options)
{
    connect(navigator, &Navigator::currentNodeChanged, this, &ProcessTreeView::selectNode);
    connect(navigator, &Navigator::subtreeRootChanged, this, [this](NodeId root) {
        DisplayFilterState* filter = m_document->displayFilter();
        if (root != kNoNode) {
            // The filter also takes the processes it forks later, as they arrive; the tree is
            // re-rooted once it is applied (onFilterApplied).
            filter->request(subtreeExpression(*m_document->session(), m_document->session()->lineage().node(root)), true);
            return;
        }
        m_tree->setRootIndex({});
        if (filter->active())
            filter->request({}, true);
    });
    const auto follow = [this](bool on) {
        m_follow = on;
        if (m_followBox->isChecked() != on)
            m_followBox->setChecked(on);
    };
    follow(options->followNew());
    connect(options, &ViewOptions::followNewChanged, this, follow);
    m_document->treeModel()->setHideHelper(!options->showHelper());
    connect(options, &ViewOptions::showHelperChanged, this, [this](bool show) {
        m_document->treeModel()->setHideHelper(!show); // laid out again: opened as at the start
        if (showsThroughProxy())
            m_filter->refilter();
        openAsNew();
    });
    // Exited processes leave the tree some seconds after they exit, by the capture's clock.
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, [this] { m_filter->setNow(m_document->latestNs()); });
    const auto hideExited = [this](int seconds) {
        m_filter->setNow(m_document->latestNs());
        m_filter->setHideExitedAfterSeconds(seconds);
        showThroughProxy(needsProxy());
        if (seconds > 0)
            m_clock.start();
        else
            m_clock.stop();
    };
    hideExited(options->hideExitedSeconds());
    connect(options, &ViewOptions::hideExitedSecondsChanged, this, hideExited);
    installItemMenu(m_tree, m_tree->header(), m_document, true, [this](QMenu& menu, const QModelIndex& index) {
        menu.addAction(tr("&Expand Subtree"), this, [this, node = index.data(NodeRole).toUInt()] { expandParents(node, -1); });
    });
}

void ProcessTreeView::onFilterApplied()
{
    if (showsThroughProxy() && needsProxy())
        m_filter->refilter(); // not when it is about to go
    showThroughProxy(needsProxy());
    Navigator* navigator = m_document->navigator();
    if (!m_document->displayFilter()->active()) {
        navigator->showWholeTree();
        return;
    }
    if (const NodeId root = navigator->subtreeRoot(); root != kNoNode) {
        const QModelIndex index = viewIndex(m_document->treeModel()->indexOf(root));
        m_tree->setRootIndex(index.isValid() ? index.parent() : QModelIndex());
        expandParents(root, -1);
        selectNode(root);
    }
}

void ProcessTreeView::setFollowNew(bool follow) { m_document->viewOptions()->setFollowNew(follow); }

void ProcessTreeView::openAsNew()
{
    // A capture opens expanded (whole when it is small), with the kernel's threads folded away.
    const bool small = m_document->session() && m_document->session()->lineage().size() < 5000;
    const bool hosts = m_document->session() && m_document->session()->severalHosts();
    expandParents(kNoNode, small ? -1 : hosts ? 2 : 1);
    if (const Session* session = m_document->session()) {
        for (std::size_t host = 0; host < session->hosts().size(); ++host) {
            if (const NodeId kthreadd = kernelThreadsRoot(*session, static_cast<std::uint8_t>(host)); kthreadd != kNoNode)
                m_tree->collapse(viewIndex(m_document->treeModel()->indexOf(kthreadd)));
        }
    }
}

void ProcessTreeView::expandAll() { expandParents(kNoNode, -1); }

void ProcessTreeView::expandParents(NodeId from, int depth)
{
    const ProcessTreeModel* model = m_document->treeModel();
    std::vector<std::pair<NodeId, int>> pending; // a node and its depth below `from`
    if (from != kNoNode)
        pending.emplace_back(from, 0);
    else
        for (const NodeId top : model->shownChildren(kNoNode))
            pending.emplace_back(top, 0);
    std::vector<QModelIndex> parents;
    while (!pending.empty()) {
        const auto [node, level] = pending.back();
        pending.pop_back();
        if (model->shownChildren(node).empty() || (depth >= 0 && level > depth))
            continue;
        const QModelIndex index = viewIndex(model->indexOf(node));
        if (!index.isValid() || m_tree->model()->rowCount(index) == 0)
            continue; // filtered out (and with it its descendants), or all its children are
        if (depth >= 0 && m_tree->model()->rowCount(index) > kCrowdedChildren)
            continue;
        parents.push_back(index);
        for (const NodeId child : model->shownChildren(node)) {
            if (!model->shownChildren(child).empty()) // leaves never wait in the queue: a storm has 300,000
                pending.emplace_back(child, level + 1);
        }
    }
    static_cast<ProcessTreeWidget*>(m_tree)->expandTogether(parents);
}

void ProcessTreeView::collapseAll() { m_tree->collapseAll(); }

NodeId ProcessTreeView::currentNode() const
{
    const QModelIndex current = m_tree->currentIndex();
    return current.isValid() ? current.data(ItemRole::NodeRole).toUInt() : kNoNode;
}

void ProcessTreeView::selectNode(NodeId node)
{
    const QModelIndex index = viewIndex(m_document->treeModel()->indexOf(node));
    if (!index.isValid())
        return;
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void ProcessTreeView::rememberTop()
{
    if (m_restorePending || m_follow)
        return;
    m_topAnchor = m_tree->indexAt(QPoint(1, 1));
    m_topOffset = m_tree->verticalScrollBar()->value();
    m_restorePending = m_topAnchor.isValid() && m_topOffset > 0;
}

void ProcessTreeView::restoreTop()
{
    m_restorePending = false;
    if (!m_topAnchor.isValid() || m_follow)
        return;
    if (m_tree->indexAt(QPoint(1, 1)) != QModelIndex(m_topAnchor))
        m_tree->scrollTo(m_topAnchor, QAbstractItemView::PositionAtTop);
}

void ProcessTreeView::onRowsInserted(const QModelIndex& parent, int first, int last)
{
    // A process that gets its first child opens, when the user can see it (its own parent is
    // open), so a build unfolds as it runs. Only parents are expanded: leaves cost nothing.
    if (parent.isValid() && first == 0 && (!parent.parent().isValid() || m_tree->isExpanded(parent.parent()))
        && parent.siblingAtColumn(ProcessTreeModel::Pid).data().toUInt() != 2) // the kernel's threads stay folded
        m_tree->expand(parent);
    // Folded once, as it becomes crowded: the user may open it again, and it then stays open.
    const int after = parent.isValid() ? m_tree->model()->rowCount(parent) : 0;
    const int before = after - (last - first + 1);
    if (before <= kCrowdedChildren && after > kCrowdedChildren && m_tree->isExpanded(parent))
        m_tree->collapse(parent);
    if (m_follow) {
        const QModelIndex newest = m_tree->model()->index(last, 0, parent);
        m_tree->setCurrentIndex(newest);
        m_tree->scrollTo(newest);
        return;
    }
    if (m_restorePending)
        QTimer::singleShot(0, this, &ProcessTreeView::restoreTop);
}

void ProcessTreeView::search(const QString& text)
{
    if (m_search->text() != text)
        m_search->setText(text);
    m_matches.clear();
    m_matchIndex = -1;
    const Session* session = m_document->session();
    const QString trimmed = text.trimmed();
    if (!session || trimmed.isEmpty()) {
        m_matchLabel->clear();
        return;
    }
    const QByteArray needle = trimmed.toUtf8();
    const std::string_view needleView(needle.constData(), static_cast<std::size_t>(needle.size()));
    for (NodeId id = 0; id < session->lineage().size(); ++id) {
        if (processMatchesSearch(*session, id, needleView) && viewIndex(m_document->treeModel()->indexOf(id)).isValid())
            m_matches.push_back(id);
    }
    nextMatch(1);
}

void ProcessTreeView::nextMatch(int step)
{
    if (m_matches.empty()) {
        m_matchLabel->setText(m_search->text().trimmed().isEmpty() ? QString() : tr("no matches"));
        return;
    }
    const int count = static_cast<int>(m_matches.size());
    m_matchIndex = m_matchIndex < 0 ? (step > 0 ? 0 : count - 1) : ((m_matchIndex + step) % count + count) % count;
    selectNode(m_matches[static_cast<std::size_t>(m_matchIndex)]);
    m_matchLabel->setText(matchSummary());
}

QString ProcessTreeView::matchSummary() const
{
    if (m_matches.empty())
        return {};
    return tr("%1 of %2").arg(m_matchIndex + 1).arg(m_matches.size());
}

} // namespace procscope::ui
