// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/column_chooser.h"

#include "document/capture_document.h"

#include <QHeaderView>
#include <QMenu>
#include <memory>

namespace procscope::ui {

void allowColumnMoves(QHeaderView* header)
{
    header->setSectionsMovable(true);
    header->setFirstSectionMovable(false); // a tree's first column carries its branches
}

void addColumnsMenu(QMenu& menu, QHeaderView* header)
{
    QMenu* columns = menu.addMenu(QHeaderView::tr("Colu&mns"));
    const int count = header->count();
    const int shown = count - header->hiddenSectionCount();
    for (int visual = 0; visual < count; ++visual) {
        const int section = header->logicalIndex(visual);
        QAction* action = columns->addAction(
            header->model()->headerData(section, header->orientation()).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(section));
        // The first column stays: a tree draws its branches there, and a row needs a name.
        action->setEnabled(section != 0 && (header->isSectionHidden(section) || shown > 1));
        QObject::connect(action, &QAction::toggled, header, [header, section](bool on) {
            header->setSectionHidden(section, !on);
            if (on && header->sectionSize(section) < 30)
                header->resizeSection(section, header->defaultSectionSize());
        });
    }
}

void addColumnChooser(QHeaderView* header)
{
    allowColumnMoves(header);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        header, &QWidget::customContextMenuRequested, header, [header](const QPoint& at) {
            QMenu menu(header);
            addColumnsMenu(menu, header);
            // The header's own menu is just the list: open it in place of a one-entry menu.
            menu.actions().constFirst()->menu()->exec(header->viewport()->mapToGlobal(at));
        });
}

void followHostCount(QHeaderView* header, int column, CaptureDocument* document)
{
    // Shown or hidden when a capture comes (the header's saved state may hold either), and again
    // only when its host count changes: a user who hid the column keeps it hidden meanwhile.
    auto several = std::make_shared<bool>(false);
    const auto apply = [header, column, several](bool now) {
        *several = now;
        header->setSectionHidden(column, !now);
        if (now && header->visualIndex(column) != 1)
            header->moveSection(header->visualIndex(column), 1);
    };
    const auto hasSeveral = [document] { return document->session() && document->session()->severalHosts(); };
    apply(false);
    QObject::connect(document, &CaptureDocument::reset, header, [apply, hasSeveral] { apply(hasSeveral()); });
    QObject::connect(document, &CaptureDocument::changed, header, [apply, hasSeveral, several] {
        if (hasSeveral() != *several)
            apply(!*several);
    });
}

} // namespace procscope::ui
