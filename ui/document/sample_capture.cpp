// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/sample_capture.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

namespace procscope::ui {

namespace {
const QString kSampleName = u"build-session.pscap"_qs;
}

// A file, not a Qt resource: the loader reads captures from a path (and File > Save As, recent
// files and the window title name it), and a resource would have to be copied out to a
// temporary file that someone then owns. The sample is installed as data, and the build copies
// it to the same place relative to its bin/ (see resources/CMakeLists.txt), so build-tree
// binaries and tests find it the way installed ones do, never through the source checkout.
QString sampleCapturePath()
{
    // Where it is does not change while the program runs: looked up once (the menus ask on
    // every change of state).
    static const QString found = [] {
        // Beside this executable's own prefix first: a build tree or a second installation must
        // not open the sample of the one installed system-wide.
        const QStringList candidates { QCoreApplication::applicationDirPath() + u'/' + QStringLiteral(PROCSCOPE_SAMPLES_FROM_BINDIR) + u'/' + kSampleName,
            QStandardPaths::locate(QStandardPaths::AppDataLocation, u"samples/"_qs + kSampleName),
            QStandardPaths::locate(QStandardPaths::GenericDataLocation, u"procscope/samples/"_qs + kSampleName) };
        for (const QString& candidate : candidates) {
            if (!candidate.isEmpty() && QFileInfo(candidate).isFile())
                return QFileInfo(candidate).canonicalFilePath();
        }
        return QString();
    }();
    return found;
}

} // namespace procscope::ui
