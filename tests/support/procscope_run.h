// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the built `procscope` (PROCSCOPE_BIN) as a user would, without a display: what its
// command line prints and its exit status.

#include <QProcess>
#include <QStringList>

namespace procscope::testing {

struct ProcscopeRun {
    int status = -1; // -1: it crashed or did not finish
    QByteArray out;
    QString err;
    QString outText() const { return QString::fromUtf8(out); }
};

inline ProcscopeRun runProcscope(const QStringList& args)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Headless modes must not need one: a QApplication would abort on xcb without a display.
    env.remove(u"DISPLAY"_qs);
    env.remove(u"WAYLAND_DISPLAY"_qs);
    env.insert(u"QT_QPA_PLATFORM"_qs, u"xcb"_qs);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(PROCSCOPE_BIN), args);
    ProcscopeRun run;
    if (!process.waitForFinished(60'000) || process.exitStatus() != QProcess::NormalExit) {
        run.err = u"procscope did not finish: "_qs + process.errorString();
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.status = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = QString::fromLocal8Bit(process.readAllStandardError());
    return run;
}

} // namespace procscope::testing
