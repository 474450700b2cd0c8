// SPDX-License-Identifier: GPL-3.0-or-later
// The About dialog and `procscope --about` report what capturing can do on this machine.

#include "capture/capture_environment.h"
#include "mainwindow/about_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTest>

using namespace procscope::ui;

namespace {

QString helper() { return QFileInfo(QStringLiteral(PROCSCOPE_HELPER_BIN)).absoluteFilePath(); }

CaptureEnvironment fixedEnvironment()
{
    CaptureEnvironment environment;
    environment.version = u"0.1.0"_qs;
    environment.kernelRelease = u"6.1.0-test"_qs;
    environment.helperPath = u"/opt/p/libexec/procscope/procscope-helper"_qs;
    environment.helperVersion = u"procscope-helper 0.1.0"_qs;
    environment.pkexecPath = u"/usr/bin/pkexec"_qs;
    return environment;
}

QString labelNamed(const QWidget& dialog, const QString& name)
{
    for (const QLabel* label : dialog.findChildren<QLabel*>()) {
        if (label->accessibleName() == name)
            return label->text();
    }
    return u"(no label named "_qs + name + u')';
}

} // namespace

class TestAbout : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QCoreApplication::setApplicationVersion(QStringLiteral(PROCSCOPE_VERSION)); }

    void probeRunsTheHelperForItsVersion()
    {
        const CaptureEnvironment environment = probeCaptureEnvironment(helper());
        QCOMPARE(environment.helperPath, helper());
        QCOMPARE(environment.helperVersion, u"procscope-helper "_qs + QStringLiteral(PROCSCOPE_VERSION));
        QCOMPARE(environment.version, QStringLiteral(PROCSCOPE_VERSION));
        QVERIFY(!environment.kernelRelease.isEmpty());
    }

    void helperThatDoesNotAnswerHasNoVersion_data()
    {
        QTest::addColumn<QString>("program");
        QTest::newRow("missing") << u"/nonexistent/procscope-helper"_qs;
        QTest::newRow("fails") << u"/bin/false"_qs;
        QTest::newRow("none") << QString();
    }

    void helperThatDoesNotAnswerHasNoVersion()
    {
        QFETCH(QString, program);
        QCOMPARE(helperVersion(program), QString());
    }

    void captureMethodsFollowPrivileges_data()
    {
        QTest::addColumn<bool>("root");
        QTest::addColumn<QString>("pkexec");
        QTest::addColumn<bool>("unprivileged");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::newRow("root, old kernel") << true << u"/usr/bin/pkexec"_qs << false << u"root"_qs << u"needs Linux 6.6"_qs;
        QTest::newRow("user with pkexec, 6.6+") << false << u"/usr/bin/pkexec"_qs << true << u"Through pkexec (/usr/bin/pkexec)"_qs << u"fewer details"_qs;
        QTest::newRow("user without pkexec") << false << QString() << false << u"\"pkexec\" package"_qs << u"needs Linux 6.6"_qs;
    }

    void captureMethodsFollowPrivileges()
    {
        QFETCH(bool, root);
        QFETCH(QString, pkexec);
        QFETCH(bool, unprivileged);
        QFETCH(QString, first);
        QFETCH(QString, second);
        CaptureEnvironment environment = fixedEnvironment();
        environment.root = root;
        environment.pkexecPath = pkexec;
        environment.unprivilegedCapture = unprivileged;
        const QStringList methods = captureMethods(environment);
        QCOMPARE(methods.size(), 2);
        QVERIFY2(methods[0].contains(first), qPrintable(methods[0]));
        QVERIFY2(methods[1].contains(second), qPrintable(methods[1]));
    }

    void dialogShowsTheEnvironmentAndCopiesIt()
    {
        const CaptureEnvironment environment = fixedEnvironment();
        AboutDialog dialog(environment);
        QCOMPARE(labelNamed(dialog, u"Kernel"_qs), u"6.1.0-test"_qs);
        QCOMPARE(labelNamed(dialog, u"Capture helper"_qs), environment.helperPath);
        QCOMPARE(labelNamed(dialog, u"Helper version"_qs), u"procscope-helper 0.1.0"_qs);
        QVERIFY(labelNamed(dialog, u"Licence"_qs).contains(u"GPL-3.0-or-later"_qs));
        QVERIFY(labelNamed(dialog, u"Capturing here"_qs).contains(u"Through pkexec"_qs));

        QPushButton* copy = nullptr;
        for (QPushButton* button : dialog.findChildren<QPushButton*>()) {
            if (button->text() == u"&Copy Details"_qs)
                copy = button;
        }
        QVERIFY(copy);
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), aboutText(environment));
        QVERIFY(dialog.detailsText().contains(u"helper: /opt/p/libexec/procscope/procscope-helper\n"_qs));
    }

    void dialogFlagsAMissingOrMismatchedHelper()
    {
        CaptureEnvironment environment = fixedEnvironment();
        environment.helperVersion = u"procscope-helper 0.0.9"_qs;
        QVERIFY(labelNamed(AboutDialog(environment), u"Helper version"_qs).contains(u"reinstall both together"_qs));
        environment.helperPath.clear();
        environment.helperVersion.clear();
        const AboutDialog missing(environment);
        QCOMPARE(labelNamed(missing, u"Capture helper"_qs), u"not found"_qs);
        QVERIFY(labelNamed(missing, u"Helper version"_qs).contains(u"capturing is not possible"_qs));
    }
};

QTEST_MAIN(TestAbout)
#include "tst_about.moc"
