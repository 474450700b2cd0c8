// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace procscope::ui {

// What capturing can do on this machine: shown by `procscope --about` and the About dialog.
struct CaptureEnvironment
{
    QString version; // QCoreApplication::applicationVersion()
    QString kernelRelease; // uname -r
    QString helperPath; // the helper the window would run; empty when none was found
    QString helperVersion; // its --version line; empty when it could not be run
    QString pkexecPath; // empty when pkexec is not installed
    bool root = false;
    bool unprivilegedCapture = false; // Linux 6.6 and later
};

inline constexpr char16_t kLicence[] = u"GPL-3.0-or-later";

// Needs a QCoreApplication (the helper is found next to the running program). `helperPath`
// empty means CaptureController::findHelper(). Runs the helper with --version, nothing else.
CaptureEnvironment probeCaptureEnvironment(const QString& helperPath = {});

// The helper's `--version` line, or empty when it does not run or answer within 3 s.
QString helperVersion(const QString& helperPath);

// One sentence per way of capturing, in the order the capture dialog offers them.
QStringList captureMethods(const CaptureEnvironment& environment);

// `procscope --about`: "key: value" lines that scripts and tests can read.
QString aboutText(const CaptureEnvironment& environment);

} // namespace procscope::ui
