// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/capture_controller.h"

#include <QObject>
#include <QPointer>
#include <functional>

class QProgressDialog;
class QWidget;

namespace procscope::ui {

class MessageBar;
class Workspace;

// The window's side of opening, capturing, saving and exporting: the file dialogs, "save the
// unsaved capture first?", the capture dialog, progress with Cancel, and the offer to recover
// a capture left behind. The work itself is the workspace's.
class FileCommands : public QObject {
    Q_OBJECT
public:
    FileCommands(Workspace* workspace, QWidget* window, MessageBar* messages);

    // Whether replacing or closing an unsaved capture asks first (tests turn it off).
    void setAskBeforeDiscarding(bool ask) { m_askBeforeDiscarding = ask; }
    // Runs `proceed` once nothing unsaved would be lost: at once when nothing is unsaved or the
    // user chose to discard it, after the save when they chose to save; never on Cancel.
    void whenDiscardable(const QString& doing, const std::function<void()>& proceed);

    void chooseAndOpen();
    void open(const QString& path);
    void openSample();
    // True when the capture started now (not after a save the user chose first, nor refused).
    bool startCapture(const CaptureOptions& options);
    void showCaptureDialog();
    void close();
    void save();
    void saveAs();
    void exportCapture();
    void offerRecovery();

private:
    // Asks where to save; empty when the user cancelled.
    QString askSavePath();
    void showProgress(const QString& what, qint64 done, qint64 total);
    void hideProgress();

    Workspace* m_workspace;
    QWidget* m_window;
    MessageBar* m_messages;
    QPointer<QProgressDialog> m_progress;
    bool m_askBeforeDiscarding = true;
};

} // namespace procscope::ui
