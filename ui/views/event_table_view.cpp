// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/event_table_view.h"

#include "document/navigator.h"
#include "views/item_actions.h"
#include "views/column_chooser.h"

#include "document/capture_document.h"
#include "models/display_text.h"
#include "models/event_table_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QTableView>
#include <QCheckBox>
#include <QMenu>
#include <QVBoxLayout>

namespace procscope::ui {

using namespace session;

EventTableView::EventTableView(CaptureDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_table(new QTableView(this))
{
    EventTableModel* model = document->eventModel();
    m_table->setModel(model);
    m_table->setObjectName(u"eventTable"_qs);
    m_table->setAccessibleName(tr("Event table"));
    m_table->setAccessibleDescription(tr("Every captured event, newest last"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: a million rows cost nothing to lay out.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    addColumnChooser(m_table->horizontalHeader());
    m_table->horizontalHeader()->resizeSection(EventTableModel::Time, 120);
    m_table->horizontalHeader()->resizeSection(EventTableModel::Type, m_table->fontMetrics().horizontalAdvance(tr("fork (thread)")) + 16);
    m_table->horizontalHeader()->resizeSection(EventTableModel::Pid, 70);
    m_table->horizontalHeader()->resizeSection(EventTableModel::Process, 140);
    followHostCount(m_table->horizontalHeader(), EventTableModel::Host, document);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 0);
    bar->setSpacing(8);
    auto* label = new QLabel(tr("Show:"), this);
    bar->addWidget(label);
    for (std::size_t k = 0; k < kEventKindCount; ++k) {
        auto* toggle = new QCheckBox(this);
        const QString name = eventKindLabel(static_cast<EventKind>(k));
        toggle->setText(name);
        toggle->setChecked(true);
        toggle->setToolTip(tr("Show %1 events").arg(name));
        toggle->setAccessibleName(tr("Show %1 events").arg(name));
        toggle->setObjectName(u"toggle_"_qs + name);
        connect(toggle, &QCheckBox::toggled, this, &EventTableView::applyToggles);
        bar->addWidget(toggle);
        m_toggles[k] = toggle;
    }
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    QScrollBar* scroll = m_table->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this, [this, scroll](int value) { m_stickToBottom = value >= scroll->maximum(); });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_stickToBottom)
            m_table->scrollToBottom();
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        const auto node = index.data(ItemRole::NodeRole).toUInt();
        if (node != kNoNode) {
            m_document->navigator()->selectNode(node);
            emit nodeActivated(node);
        }
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (current.isValid())
            m_document->navigator()->selectEvent(current.data(ItemRole::StoreRowRole).toULongLong(), current.data(ItemRole::NodeRole).toUInt());
    });
    // Several hosts: the Time heading lists events as they happened, the Host heading (or the
    // menu's Group by Host) each host's together.
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionsClickable(true);
    connect(header, &QHeaderView::sectionClicked, this, [this](int section) {
        if (m_document->eventModel()->timeOrdered() && (section == EventTableModel::Host || section == EventTableModel::Time))
            setGroupByHost(section == EventTableModel::Host);
    });
    connect(document, &CaptureDocument::changed, this, [this, header] {
        header->setSortIndicatorShown(m_document->eventModel()->timeOrdered());
    });
    installItemMenu(m_table, header, document, false, [this](QMenu& menu, const QModelIndex&) {
        if (!m_document->eventModel()->timeOrdered())
            return;
        menu.addSeparator();
        QAction* grouped = menu.addAction(tr("&Group by Host"), this, [this](bool on) { setGroupByHost(on); });
        grouped->setCheckable(true);
        grouped->setChecked(m_document->eventModel()->groupedByHost());
    });
}

void EventTableView::applyToggles()
{
    std::uint32_t mask = 0;
    for (std::size_t k = 0; k < kEventKindCount; ++k)
        mask |= m_toggles[k]->isChecked() ? 1u << k : 0;
    keepingTheSelection([this, mask] { m_document->eventModel()->setKindMask(mask); });
}

void EventTableView::keepingTheSelection(const std::function<void()>& change)
{
    // Keep the selected event selected (and in view) when the rows around it change.
    const QModelIndex current = m_table->currentIndex();
    const auto storeRow = current.isValid() ? current.data(ItemRole::StoreRowRole).toULongLong() : ~0ULL;
    change();
    if (storeRow != ~0ULL) {
        const int row = m_document->eventModel()->rowOfStoreRow(storeRow);
        if (row >= 0) {
            m_table->setCurrentIndex(m_document->eventModel()->index(row, 0));
            m_table->scrollTo(m_document->eventModel()->index(row, 0), QAbstractItemView::PositionAtCenter);
        }
    }
}

void EventTableView::setGroupByHost(bool grouped)
{
    keepingTheSelection([this, grouped] { m_document->eventModel()->setGroupByHost(grouped); });
    m_table->horizontalHeader()->setSortIndicator(grouped ? EventTableModel::Host : EventTableModel::Time, Qt::AscendingOrder);
}

void EventTableView::setKindMask(std::uint32_t mask)
{
    for (std::size_t k = 0; k < kEventKindCount; ++k) {
        const QSignalBlocker block(m_toggles[k]);
        m_toggles[k]->setChecked(mask & (1u << k));
    }
    applyToggles();
}

std::uint32_t EventTableView::kindMask() const { return m_document->eventModel()->kindMask(); }

} // namespace procscope::ui
