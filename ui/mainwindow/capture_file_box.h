// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/ring_writer.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace procscope::ui {

// The Start Capture dialog's "Save as it arrives" part: a file the capture is written to, and
// whether it is a ring of files keeping only the newest part (a size, an age, or both).
class CaptureFileBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit CaptureFileBox(QWidget* parent = nullptr);

    // `write`: ticked. A remembered file is offered unticked: a capture replaces what is
    // there, so it is written again only when the user asks.
    void setWritePath(const QString& path, bool write);
    QString writePath() const;
    void setRing(const capture::RingLimits& ring);
    capture::RingLimits ring() const; // none when not written to a file
    // A ring is of this machine alone: with other hosts it is refused, and problem() says so.
    void setOnlyThisMachine(bool only);
    QString problem() const; // empty when the choices can start a capture

signals:
    void changed();

private:
    void update();

    QCheckBox* m_write;
    QLineEdit* m_path;
    QCheckBox* m_bySize;
    QSpinBox* m_size;
    QComboBox* m_sizeUnit;
    QCheckBox* m_byAge;
    QSpinBox* m_age;
    QComboBox* m_ageUnit;
    QLabel* m_note;
    bool m_onlyThisMachine = true;
};

} // namespace procscope::ui
