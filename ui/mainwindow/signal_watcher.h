// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace procscope::ui {

// Turns SIGTERM and SIGINT (a logout, Ctrl+C in the terminal) into a Qt signal on the UI
// thread, so a running capture can be stopped cleanly before the window quits.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signal);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace procscope::ui
