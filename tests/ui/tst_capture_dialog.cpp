// SPDX-License-Identifier: GPL-3.0-or-later
// The Start Capture dialog's hosts, used as a new user would: this machine ticked by default,
// a remote host typed as user@host, a mistake explained where it was typed, remembered hosts
// offered unticked, and Start only while there is something to capture.

#include "mainwindow/capture_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTest>

using namespace procscope::ui;

class TestCaptureDialog : public QObject
{
    Q_OBJECT

    static QPushButton* start(CaptureDialog& dialog)
    {
        return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    }
    static QLineEdit* hostField(CaptureDialog& dialog) { return dialog.findChild<QLineEdit*>(); }

private slots:
    void thisMachineIsTheDefault()
    {
        CaptureDialog dialog;
        QCOMPARE(dialog.hosts(), QStringList { u"local"_qs });
        QVERIFY(dialog.knownHosts().isEmpty());
        QVERIFY(start(dialog)->isEnabled());
    }

    void aTypedHostIsAddedTicked()
    {
        CaptureDialog dialog;
        dialog.show();
        QTest::keyClicks(hostField(dialog), u"ci@build1:2222"_qs);
        QTest::keyClick(hostField(dialog), Qt::Key_Return); // adds the host; does not start yet
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.hosts(), (QStringList { u"local"_qs, u"ssh://ci@build1:2222"_qs }));
        QCOMPARE(dialog.knownHosts(), QStringList { u"ssh://ci@build1:2222"_qs });
        QVERIFY(hostField(dialog)->text().isEmpty());
        QTest::keyClick(hostField(dialog), Qt::Key_Return); // with nothing typed, Enter starts
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void aMistakeIsExplainedAndNothingIsAdded()
    {
        CaptureDialog dialog;
        dialog.show();
        QTest::keyClicks(hostField(dialog), u"build1;reboot"_qs);
        QTest::keyClick(hostField(dialog), Qt::Key_Return);
        QCOMPARE(dialog.hosts(), QStringList { u"local"_qs });
        bool explained = false;
        for (QLabel* label : dialog.findChildren<QLabel*>())
            explained = explained
                || (label->isVisible() && label->text().contains(u"is not a host name"_qs));
        QVERIFY(explained);
    }

    void rememberedHostsAreOfferedAndNothingTickedMeansNoStart()
    {
        CaptureDialog dialog;
        dialog.setHosts({ u"ssh://build1"_qs, u"ssh://root@vm2:2200"_qs }, { u"ssh://build1"_qs });
        QCOMPARE(dialog.hosts(),
            QStringList { u"ssh://build1"_qs }); // the last choice, without this machine
        QCOMPARE(
            dialog.knownHosts(), (QStringList { u"ssh://build1"_qs, u"ssh://root@vm2:2200"_qs }));
        auto* list = dialog.findChild<QListWidget*>();
        QCOMPARE(list->count(), 3);
        list->item(1)->setCheckState(Qt::Unchecked);
        QVERIFY(dialog.hosts().isEmpty());
        QVERIFY(!start(dialog)->isEnabled());
        list->item(0)->setCheckState(Qt::Checked);
        QVERIFY(start(dialog)->isEnabled());
        list->setCurrentRow(2);
        for (QPushButton* button : dialog.findChildren<QPushButton*>()) {
            if (button->accessibleName() == u"Remove the selected host"_qs)
                button->click();
        }
        QCOMPARE(dialog.knownHosts(), QStringList { u"ssh://build1"_qs });
        if (qEnvironmentVariableIsSet("PROCSCOPE_DIALOG_PNG"))
            dialog.grab().save(qEnvironmentVariable("PROCSCOPE_DIALOG_PNG"));
    }

    // A remembered host that does not pass (a settings file edited by hand) is listed with the
    // reason; it cannot be ticked or started, and can be removed.
    void aRememberedHostThatDoesNotPassIsExplained()
    {
        CaptureDialog dialog;
        const QString bad = u"ssh://-oProxyCommand=x"_qs;
        dialog.setHosts({ bad }, { bad });
        auto* list = dialog.findChild<QListWidget*>();
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(1)->text().contains(u"cannot be used"_qs));
        QVERIFY(!(list->item(1)->flags() & Qt::ItemIsUserCheckable));
        QVERIFY(!dialog.hosts().contains(bad));
        QCOMPARE(dialog.knownHosts(), QStringList { bad });
        list->setCurrentRow(1);
        for (QPushButton* button : dialog.findChildren<QPushButton*>()) {
            if (button->accessibleName() == u"Remove the selected host"_qs)
                button->click();
        }
        QVERIFY(dialog.knownHosts().isEmpty());
    }
};

QTEST_MAIN(TestCaptureDialog)
#include "tst_capture_dialog.moc"
