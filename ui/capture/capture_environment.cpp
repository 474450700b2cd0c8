// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/capture_environment.h"

#include "capture/capture_controller.h"
#include "protocol/kernel_version.h"

#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>

namespace procscope::ui {

namespace {
constexpr int kHelperTimeoutMs = 3000;
}

CaptureEnvironment probeCaptureEnvironment(const QString& helperPath)
{
    CaptureEnvironment environment;
    environment.version = QCoreApplication::applicationVersion();
    environment.kernelRelease = QString::fromStdString(protocol::runningKernelRelease());
    environment.helperPath = helperPath.isEmpty() ? CaptureController::findHelper() : helperPath;
    environment.helperVersion = helperVersion(environment.helperPath);
    environment.pkexecPath = QStandardPaths::findExecutable(u"pkexec"_qs);
    environment.root = CaptureController::runningAsRoot();
    environment.unprivilegedCapture = CaptureController::unprivilegedCaptureAvailable();
    return environment;
}

QString helperVersion(const QString& helperPath)
{
    if (helperPath.isEmpty())
        return {};
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(helperPath, { u"--version"_qs });
    if (!process.waitForFinished(kHelperTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

QStringList captureMethods(const CaptureEnvironment& environment)
{
    QStringList methods;
    if (environment.root)
        methods << QCoreApplication::translate(
            "CaptureEnvironment", "Running as root: captures directly, with full details.");
    else if (!environment.pkexecPath.isEmpty())
        methods << QCoreApplication::translate("CaptureEnvironment",
            "Through pkexec (%1): asks for an administrator's password, full details.")
                       .arg(environment.pkexecPath);
    else
        methods << QCoreApplication::translate("CaptureEnvironment",
            "pkexec is not installed: elevated capture needs the \"pkexec\" package.");
    if (environment.unprivilegedCapture)
        methods << QCoreApplication::translate("CaptureEnvironment",
            "Without elevation (Linux 6.6 or later): fewer details of other users' processes.");
    else
        methods << QCoreApplication::translate("CaptureEnvironment",
            "Without elevation: not on this kernel (needs Linux 6.6 or later).");
    return methods;
}

QString aboutText(const CaptureEnvironment& environment)
{
    const auto orNone
        = [](const QString& value, const QString& none) { return value.isEmpty() ? none : value; };
    QString text;
    text += u"procscope "_qs + environment.version + u'\n';
    text += u"licence: "_qs + QString::fromUtf16(kLicence) + u'\n';
    text += u"kernel: "_qs + environment.kernelRelease + u'\n';
    text += u"helper: "_qs + orNone(environment.helperPath, u"not found"_qs) + u'\n';
    text += u"helper version: "_qs
        + orNone(environment.helperVersion, u"unknown (the helper did not run)"_qs) + u'\n';
    text += u"root: "_qs + (environment.root ? u"yes"_qs : u"no"_qs) + u'\n';
    text += u"pkexec: "_qs + orNone(environment.pkexecPath, u"not installed"_qs) + u'\n';
    text += u"unprivileged capture: "_qs
        + (environment.unprivilegedCapture ? u"yes (Linux 6.6 or later)"_qs
                                           : u"no (needs Linux 6.6 or later)"_qs)
        + u'\n';
    return text;
}

} // namespace procscope::ui
