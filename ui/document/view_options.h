// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSettings;

namespace procscope::ui {

// How the views show a capture, chosen in the View menu and remembered: whether the capture
// helper's own process is shown, whether new processes are revealed as they start, and how
// long exited processes stay in the tree.
class ViewOptions : public QObject {
    Q_OBJECT
public:
    explicit ViewOptions(QObject* parent = nullptr);

    bool showHelper() const { return m_showHelper; }
    void setShowHelper(bool show);
    bool followNew() const { return m_followNew; }
    void setFollowNew(bool follow);
    // 0: exited processes stay (as tombstones).
    int hideExitedSeconds() const { return m_hideExitedSeconds; }
    void setHideExitedSeconds(int seconds);

    void restore(const QSettings& settings);
    void save(QSettings& settings) const;

signals:
    void showHelperChanged(bool show);
    void followNewChanged(bool follow);
    void hideExitedSecondsChanged(int seconds);

private:
    bool m_showHelper = false;
    bool m_followNew = false;
    int m_hideExitedSeconds = 0;
};

} // namespace procscope::ui
