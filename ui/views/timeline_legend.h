// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "views/timeline_colours.h"

#include <QWidget>

class QComboBox;

namespace procscope::ui {

// The timeline's colour key, in a strip of its own under the lanes: it never covers a bar. Its
// first item chooses what the colours tell.
class TimelineLegend final : public QWidget {
    Q_OBJECT
public:
    explicit TimelineLegend(QWidget* parent);
    int stripHeight() const;
    QComboBox* choice() const { return m_choice; }
    TimelineColouring colouring() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QComboBox* m_choice;
};

} // namespace procscope::ui
