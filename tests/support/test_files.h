// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Writing the files a test reads back (fake /proc entries, scripts).

#include <QFile>
#include <QTest>

namespace procscope::testing {

inline void writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

} // namespace procscope::testing
