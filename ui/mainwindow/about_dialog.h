// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/capture_environment.h"

#include <QDialog>

namespace procscope::ui {

// Help > About: version, licence, kernel, the capture helper (path and version) and the ways
// of capturing this machine allows. The same facts as `procscope --about`, which Copy Details
// puts on the clipboard for bug reports.
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    // Probes this machine (runs the helper with --version, at most 3 s).
    explicit AboutDialog(QWidget* parent = nullptr);
    explicit AboutDialog(const CaptureEnvironment& environment, QWidget* parent = nullptr);

    QString detailsText() const { return m_details; }

private:
    QString m_details;
};

} // namespace procscope::ui
