// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/item_actions.h"

#include "document/capture_document.h"
#include "document/navigator.h"
#include "models/display_filter_state.h"
#include "models/display_text.h"
#include "models/item_roles.h"
#include "views/column_chooser.h"
#include "views/filter_expressions.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QCoreApplication>
#include <QMenu>

namespace procscope::ui {

using namespace session;

namespace {

struct ItemActions
{
    Q_DECLARE_TR_FUNCTIONS(ItemActions)
};

QString rowText(const QModelIndex& index)
{
    QStringList cells;
    for (int column = 0; column < index.model()->columnCount(index.parent()); ++column)
        cells << index.siblingAtColumn(column).data().toString();
    return cells.join(u'\t');
}

// What every row's menu starts with: the cell as a filter, and copies of the cell and the row.
void addFilterAndCopyActions(QMenu& menu, DisplayFilterState* filter, const QString& expression, const QModelIndex& index)
{
    menu.addAction(ItemActions::tr("&Apply as Filter: %1").arg(expression), filter,
        [filter, expression] { filter->request(expression, true); });
    menu.addAction(ItemActions::tr("&Prepare as Filter"), filter,
        [filter, expression] { filter->request(expression, false); });
    menu.addSeparator();
    QClipboard* clipboard = QApplication::clipboard();
    menu.addAction(ItemActions::tr("&Copy"), QKeySequence::Copy, &menu,
        [clipboard, text = index.data().toString()] { clipboard->setText(text); });
    menu.addAction(ItemActions::tr("Copy &Row"), &menu,
        [clipboard, text = rowText(index)] { clipboard->setText(text); });
}

} // namespace

void addItemActions(QMenu& menu, CaptureDocument& document, const QModelIndex& index, bool inTree)
{
    const Session* session = document.session();
    if (!session || !index.isValid())
        return;
    DisplayFilterState* filter = document.displayFilter();
    Navigator* navigator = document.navigator();
    if (const QVariant host = index.data(HostRole); host.isValid() && host.toUInt() < session->hosts().size()) {
        // A host's row: its events, or a copy of what the row says.
        addFilterAndCopyActions(menu, filter, u"host == %1"_qs.arg(filterString(session->hosts()[host.toUInt()].label)), index);
        return;
    }
    const QVariant storeRow = index.data(StoreRowRole);
    const StoredEvent* event
        = storeRow.isValid() ? &session->events()[storeRow.toULongLong()] : nullptr;
    const NodeId node = event ? event->node : index.data(NodeRole).toUInt();
    const auto kind = static_cast<CellKind>(index.data(CellKindRole).toInt());
    const QString expression = filterExpressionFor(*session, node, kind, event);

    addFilterAndCopyActions(menu, filter, expression, index);
    if (node != kNoNode) {
        QClipboard* clipboard = QApplication::clipboard();
        const ProcessNode& process = session->lineage().node(node);
        menu.addAction(ItemActions::tr("Copy Co&mmand Line"), &menu,
            [clipboard, text = commandLineText(*session, node)] { clipboard->setText(text); });
        menu.addAction(ItemActions::tr("Copy P&ID"), &menu,
            [clipboard, pid = process.pid] { clipboard->setText(QString::number(pid)); });
        menu.addSeparator();
        QAction* parent = menu.addAction(ItemActions::tr("Go to Pa&rent"), navigator,
            [navigator, to = process.parent] { navigator->selectNode(to); });
        parent->setEnabled(process.parent != kNoNode);
        if (!inTree)
            menu.addAction(ItemActions::tr("Show in the &Tree"), navigator,
                [navigator, node] { navigator->selectNode(node); });
        menu.addAction(ItemActions::tr("Show &Only This Subtree"), navigator,
            [navigator, node] { navigator->showOnlySubtree(node); });
        menu.addAction(ItemActions::tr("&Filter Events to This Process"), filter,
            [filter, expression = onItsHost(*session, process, u"pid == %1"_qs.arg(process.pid))] {
                filter->request(expression, true);
            });
    }
    if (navigator->subtreeRoot() != kNoNode)
        menu.addAction(
            ItemActions::tr("Show the &Whole Tree"), navigator, &Navigator::showWholeTree);
}

void installItemMenu(QAbstractItemView* view, QHeaderView* header, CaptureDocument* document,
    bool inTree, std::function<void(QMenu&, const QModelIndex&)> extra)
{
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(view, &QWidget::customContextMenuRequested, view,
        [view, header, document, inTree, extra = std::move(extra)](const QPoint& at) {
            const QModelIndex index = view->indexAt(at);
            if (!index.isValid())
                return;
            QMenu menu(view);
            addItemActions(menu, *document, index, inTree);
            if (extra)
                extra(menu, index);
            menu.addSeparator();
            addColumnsMenu(menu, header);
            menu.exec(view->viewport()->mapToGlobal(at));
        });
}

} // namespace procscope::ui
