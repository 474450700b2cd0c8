// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QMap>

class QCheckBox;
class QRadioButton;

namespace procscope::ui {

// Which events to capture (the helper's --events) and how to get the right to capture.
class CaptureDialog : public QDialog {
    Q_OBJECT
public:
    explicit CaptureDialog(QWidget* parent = nullptr);

    void setEvents(const QString& events); // empty: all
    QString events() const; // empty: all
    void setElevate(bool elevate);
    bool elevate() const;

private:
    QMap<QString, QCheckBox*> m_boxes;
    QRadioButton* m_elevated;
    QRadioButton* m_unprivileged;
};

} // namespace procscope::ui
