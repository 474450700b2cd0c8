// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/sample_capture.h"

#include <QCoreApplication>
#include <QFileInfo>

#ifndef PROCSCOPE_SAMPLE_SOURCE
#define PROCSCOPE_SAMPLE_SOURCE ""
#endif

namespace procscope::ui {

QString sampleCapturePath()
{
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString& candidate : { dir + u"/../share/procscope/samples/build-session.pscap"_qs, QStringLiteral(PROCSCOPE_SAMPLE_SOURCE) }) {
        if (!candidate.isEmpty() && QFileInfo::exists(candidate))
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}

} // namespace procscope::ui
