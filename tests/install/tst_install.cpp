// SPDX-License-Identifier: GPL-3.0-or-later
// `cmake --install` into a temporary prefix holds everything a desktop and a packager need, the
// desktop-integration files pass the freedesktop validators, and the installed window (headless,
// through --about) names the installed helper.

#include <QFile>
#include <QMimeDatabase>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString& program, const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(program, args);
    Run result;
    if (!process.waitForFinished(120'000) || process.exitStatus() != QProcess::NormalExit) {
        result.err = program + u" did not finish: "_qs + process.errorString();
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

QString dir(const char* gnuInstallDir) { return QString::fromUtf8(gnuInstallDir); }

// `procscope --about` with no display at all: a QApplication would abort on the xcb platform.
Run about(const QString& procscope)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_qs);
    env.remove(u"WAYLAND_DISPLAY"_qs);
    env.insert(u"QT_QPA_PLATFORM"_qs, u"xcb"_qs);
    return run(procscope, { u"--about"_qs }, env);
}

QString field(const QString& about, const QString& key)
{
    for (const QString& line : about.split(u'\n')) {
        if (line.startsWith(key + u": "_qs))
            return line.mid(key.size() + 2);
    }
    return {};
}

} // namespace

class TestInstall : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void installsEveryFile_data();
    void installsEveryFile();
    void policyNamesTheInstalledHelper();
    void validatorsAccept_data();
    void validatorsAccept();
    void manPagesFormatWithoutWarnings_data();
    void manPagesFormatWithoutWarnings();
    void mimeTypeRecognisesCaptures();
    void releaseVersionIsTheProjects_data();
    void releaseVersionIsTheProjects();
    void installedWindowUsesTheInstalledHelper();
    void buildTreeWindowUsesTheBuildTreeHelper();
    void aboutGoesAlone();

private:
    QString installed(const QString& relative) const { return m_prefix + u'/' + relative; }
    QString helperPath() const { return installed(dir(PROCSCOPE_LIBEXECDIR) + u"/procscope/procscope-helper"_qs); }
    QString policyPath() const { return installed(dir(PROCSCOPE_DATADIR) + u"/polkit-1/actions/io.github.procscope.capture.policy"_qs); }

    QTemporaryDir m_dir;
    QString m_prefix;
};

void TestInstall::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A prefix that is neither /usr nor /usr/local nor the build tree: paths must follow it.
    m_prefix = m_dir.path() + u"/some prefix"_qs;
    const Run install = run(QStringLiteral(PROCSCOPE_CMAKE), { u"--install"_qs, QStringLiteral(PROCSCOPE_BUILD_DIR), u"--prefix"_qs, m_prefix });
    QVERIFY2(install.exitCode == 0, qPrintable(install.out + install.err));
}

void TestInstall::installsEveryFile_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("executable");
    const QString bin = dir(PROCSCOPE_BINDIR);
    const QString data = dir(PROCSCOPE_DATADIR);
    const QString man = dir(PROCSCOPE_MANDIR);
    QTest::newRow("window") << bin + u"/procscope"_qs << true;
    QTest::newRow("events tool") << bin + u"/procscope-events"_qs << true;
    QTest::newRow("helper") << dir(PROCSCOPE_LIBEXECDIR) + u"/procscope/procscope-helper"_qs << true;
    QTest::newRow("polkit action") << data + u"/polkit-1/actions/io.github.procscope.capture.policy"_qs << false;
    QTest::newRow("desktop entry") << data + u"/applications/io.github.procscope.desktop"_qs << false;
    QTest::newRow("icon") << data + u"/icons/hicolor/scalable/apps/io.github.procscope.svg"_qs << false;
    QTest::newRow("symbolic icon") << data + u"/icons/hicolor/symbolic/apps/io.github.procscope-symbolic.svg"_qs << false;
    QTest::newRow("metainfo") << data + u"/metainfo/io.github.procscope.metainfo.xml"_qs << false;
    QTest::newRow("MIME type") << data + u"/mime/packages/io.github.procscope.xml"_qs << false;
    QTest::newRow("procscope(1)") << man + u"/man1/procscope.1"_qs << false;
    QTest::newRow("procscope-helper(1)") << man + u"/man1/procscope-helper.1"_qs << false;
    QTest::newRow("procscope-events(1)") << man + u"/man1/procscope-events.1"_qs << false;
    QTest::newRow("sample capture") << data + u"/procscope/samples/build-session.pscap"_qs << false;
    QTest::newRow("filter reference") << data + u"/doc/procscope/FILTERS.md"_qs << false;
}

void TestInstall::installsEveryFile()
{
    QFETCH(QString, path);
    QFETCH(bool, executable);
    const QFileInfo info(installed(path));
    QVERIFY2(info.isFile(), qPrintable(info.filePath() + u" is missing"_qs));
    QVERIFY(info.size() > 0);
    QCOMPARE(info.isExecutable(), executable);
}

void TestInstall::policyNamesTheInstalledHelper()
{
    // pkexec runs exactly this path under the action, so it must be the prefix's own helper.
    QFile policy(policyPath());
    QVERIFY(policy.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(policy.readAll());
    const QString annotation = u"<annotate key=\"org.freedesktop.policykit.exec.path\">"_qs + helperPath() + u"</annotate>"_qs;
    QVERIFY2(text.contains(annotation), qPrintable(text));
    QVERIFY(!text.contains(u'@')); // every @VARIABLE@ was filled in
}

void TestInstall::validatorsAccept_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("package");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("file");
    const QString data = dir(PROCSCOPE_DATADIR);
    QTest::newRow("desktop entry") << u"desktop-file-validate"_qs << u"desktop-file-utils"_qs << QStringList {}
                                   << data + u"/applications/io.github.procscope.desktop"_qs;
    QTest::newRow("metainfo") << u"appstreamcli"_qs << u"appstream"_qs << QStringList { u"validate"_qs, u"--no-net"_qs, u"--pedantic"_qs }
                              << data + u"/metainfo/io.github.procscope.metainfo.xml"_qs;
    for (const QString& file : { u"/polkit-1/actions/io.github.procscope.capture.policy"_qs, u"/mime/packages/io.github.procscope.xml"_qs,
             u"/icons/hicolor/scalable/apps/io.github.procscope.svg"_qs, u"/icons/hicolor/symbolic/apps/io.github.procscope-symbolic.svg"_qs })
        QTest::newRow(qPrintable(u"xmllint "_qs + file.section(u'/', -1))) << u"xmllint"_qs << u"libxml2-utils"_qs << QStringList { u"--noout"_qs } << data + file;
}

void TestInstall::validatorsAccept()
{
    QFETCH(QString, tool);
    QFETCH(QString, package);
    QFETCH(QStringList, args);
    QFETCH(QString, file);
    const QString program = QStandardPaths::findExecutable(tool);
    if (program.isEmpty())
        QSKIP(qPrintable(tool + u" is not installed (Debian package "_qs + package + u"; scripts/test installs it)"_qs));
    const Run result = run(program, args << installed(file));
    QVERIFY2(result.exitCode == 0, qPrintable(result.out + result.err));
    // desktop-file-validate and xmllint print nothing for a clean file; warnings count too.
    if (tool != u"appstreamcli"_qs)
        QVERIFY2(result.out.isEmpty() && result.err.isEmpty(), qPrintable(result.out + result.err));
}

void TestInstall::manPagesFormatWithoutWarnings_data()
{
    QTest::addColumn<QString>("page");
    QTest::newRow("procscope") << u"procscope.1"_qs;
    QTest::newRow("procscope-helper") << u"procscope-helper.1"_qs;
    QTest::newRow("procscope-events") << u"procscope-events.1"_qs;
}

void TestInstall::manPagesFormatWithoutWarnings()
{
    QFETCH(QString, page);
    const QString groff = QStandardPaths::findExecutable(u"groff"_qs);
    if (groff.isEmpty())
        QSKIP("groff is not installed (Debian package groff-base; scripts/test installs it)");
    const QString path = installed(dir(PROCSCOPE_MANDIR) + u"/man1/"_qs + page);
    const Run check = run(groff, { u"-man"_qs, u"-Tutf8"_qs, u"-ww"_qs, u"-z"_qs, path });
    QVERIFY2(check.exitCode == 0 && check.err.isEmpty(), qPrintable(check.err));
    const Run text = run(groff, { u"-man"_qs, u"-Tutf8"_qs, u"-P-cbou"_qs, path }); // plain text, no overstriking
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(u"NAME"_qs) && text.out.contains(u"SYNOPSIS"_qs));
}

void TestInstall::mimeTypeRecognisesCaptures()
{
    // As a distribution's trigger would: compile the prefix's MIME database, then ask Qt's
    // shared-mime-info reader (this process's first QMimeDatabase) to look at it.
    const QString updater = QStandardPaths::findExecutable(u"update-mime-database"_qs);
    if (updater.isEmpty())
        QSKIP("update-mime-database is not installed (Debian package shared-mime-info; scripts/test installs it)");
    const QString share = installed(dir(PROCSCOPE_DATADIR));
    const Run update = run(updater, { share + u"/mime"_qs });
    QVERIFY2(update.exitCode == 0, qPrintable(update.err));
    qputenv("XDG_DATA_DIRS", (share + u":/usr/share"_qs).toLocal8Bit());

    // By content: the sample under a name that says nothing.
    const QString renamed = m_dir.path() + u"/capture.bin"_qs;
    QVERIFY(QFile::copy(QStringLiteral(PROCSCOPE_SAMPLE), renamed));
    QMimeDatabase mime;
    QCOMPARE(mime.mimeTypeForFile(renamed, QMimeDatabase::MatchContent).name(), u"application/x-procscope-capture"_qs);
    QCOMPARE(mime.mimeTypeForFile(u"build.pscap"_qs, QMimeDatabase::MatchExtension).name(), u"application/x-procscope-capture"_qs);
    // Bytes that only start like a capture are not one.
    const QString other = m_dir.path() + u"/other.bin"_qs;
    QFile file(other);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x89PSCA\n\r and more text");
    file.close();
    QVERIFY(mime.mimeTypeForFile(other, QMimeDatabase::MatchContent).name() != u"application/x-procscope-capture"_qs);
}

void TestInstall::releaseVersionIsTheProjects_data()
{
    // Hand-written files that carry the version: a release must update them with CMakeLists.txt.
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    const QString version = QStringLiteral(PROCSCOPE_VERSION);
    const QString data = dir(PROCSCOPE_DATADIR);
    const QString man = dir(PROCSCOPE_MANDIR);
    QTest::newRow("metainfo") << data + u"/metainfo/io.github.procscope.metainfo.xml"_qs << u"<release version=\""_qs + version + u'"';
    QTest::newRow("procscope(1)") << man + u"/man1/procscope.1"_qs << u"\"Procscope "_qs + version + u'"';
    QTest::newRow("procscope-helper(1)") << man + u"/man1/procscope-helper.1"_qs << u"\"Procscope "_qs + version + u'"';
    QTest::newRow("procscope-events(1)") << man + u"/man1/procscope-events.1"_qs << u"\"Procscope "_qs + version + u'"';
}

void TestInstall::releaseVersionIsTheProjects()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QFile installedFile(installed(file));
    QVERIFY(installedFile.open(QIODevice::ReadOnly));
    QVERIFY2(QString::fromUtf8(installedFile.readAll()).contains(expected), qPrintable(expected));
}

void TestInstall::installedWindowUsesTheInstalledHelper()
{
    const Run result = about(installed(dir(PROCSCOPE_BINDIR) + u"/procscope"_qs));
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.startsWith(u"procscope "_qs), qPrintable(result.out));
    QCOMPARE(field(result.out, u"helper"_qs), helperPath());
    QVERIFY2(field(result.out, u"helper version"_qs).startsWith(u"procscope-helper "_qs), qPrintable(result.out));
    QCOMPARE(field(result.out, u"licence"_qs), u"GPL-3.0-or-later"_qs);
    QVERIFY(!field(result.out, u"kernel"_qs).isEmpty());
    QCOMPARE(field(result.out, u"root"_qs), ::geteuid() == 0 ? u"yes"_qs : u"no"_qs);
}

void TestInstall::buildTreeWindowUsesTheBuildTreeHelper()
{
    const Run result = about(QStringLiteral(PROCSCOPE_BIN));
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QCOMPARE(field(result.out, u"helper"_qs), QFileInfo(QStringLiteral(PROCSCOPE_HELPER_BIN)).absoluteFilePath());
}

void TestInstall::aboutGoesAlone()
{
    const Run result = run(QStringLiteral(PROCSCOPE_BIN), { u"--about"_qs, u"--capture"_qs });
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(u"--about goes alone"_qs), qPrintable(result.err));
    QVERIFY(result.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestInstall)
#include "tst_install.moc"
