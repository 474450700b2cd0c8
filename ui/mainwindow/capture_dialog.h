// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/ring_writer.h"

#include <QDialog>
#include <QMap>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;

namespace procscope::ui {

class CaptureFileBox;

// Which events to capture (the helper's --events) and how to get the right to capture.
class CaptureDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CaptureDialog(QWidget* parent = nullptr);

    void setEvents(const QString& events); // empty: all
    QString events() const; // empty: all
    void setElevate(bool elevate);
    bool elevate() const;
    // Machines: "local" and ssh:// addresses. `known` are offered (this machine always is),
    // `chosen` ticked; hosts() are the ticked ones, knownHosts() every remote one listed.
    void setHosts(const QStringList& known, const QStringList& chosen);
    QStringList hosts() const;
    QStringList knownHosts() const;
    // The file the capture is written to as it arrives (empty: none), and its ring. A file
    // set here is offered, not ticked.
    void setWritePath(const QString& path);
    QString writePath() const;
    void setRing(const capture::RingLimits& ring);
    capture::RingLimits ring() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QMap<QString, QCheckBox*> m_boxes;
    QRadioButton* m_elevated;
    QRadioButton* m_unprivileged;
    QListWidget* m_hosts;
    QLineEdit* m_newHost;
    QLabel* m_hostProblem;
    CaptureFileBox* m_file;
    QPushButton* m_ok = nullptr;

    void addHost(const QString& url, bool checked);
    void addTypedHost();
    void updateOk();
};

} // namespace procscope::ui
