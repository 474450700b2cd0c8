// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace procscope::ui {

// Shown when nothing is loaded: start a capture, open a file, a recent file, or the bundled
// sample (so Procscope can be explored without any privileges).
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);
    void setRecentFiles(const QStringList& files);
    void setCaptureNote(const QString& note);
    void setSampleAvailable(bool available);

signals:
    void startCaptureRequested();
    void openRequested();
    void openSampleRequested();
    void openFileRequested(const QString& path);

private:
    QListWidget* m_recent;
    QPushButton* m_sample;
    QLabel* m_note;
    QLabel* m_recentTitle;
};

} // namespace procscope::ui
