// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

namespace procscope::ui {

// The display-filter language (core/session/FILTERS.md, built in), beside the window.
class FilterReference : public QDialog {
    Q_OBJECT
public:
    explicit FilterReference(QWidget* parent = nullptr);
};

} // namespace procscope::ui
