// SPDX-License-Identifier: GPL-3.0-or-later
// The Start Capture dialog's hosts, used as a new user would: this machine ticked by default,
// a remote host typed as user@host, a mistake explained where it was typed, remembered hosts
// offered unticked, and Start only while there is something to capture; a file to write to, as a
// ring of files for this machine.

#include "mainwindow/capture_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace procscope::ui;

class TestCaptureDialog : public QObject
{
    Q_OBJECT

    static QPushButton* start(CaptureDialog& dialog)
    {
        return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    }
    template <typename T> static T* named(CaptureDialog& dialog, const QString& name)
    {
        for (T* widget : dialog.findChildren<T*>()) {
            if (widget->accessibleName() == name || widget->property("text").toString() == name)
                return widget;
        }
        return nullptr;
    }
    static QLineEdit* hostField(CaptureDialog& dialog) { return named<QLineEdit>(dialog, u"Remote host to add"_qs); }
    static bool says(CaptureDialog& dialog, const QString& text)
    {
        for (QLabel* label : dialog.findChildren<QLabel*>()) {
            if (label->isVisible() && label->text().contains(text))
                return true;
        }
        return false;
    }

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

    // Written to a file as it arrives, and as a ring keeping the newest part: this machine only.
    void aRingIsChosenForThisMachineAlone()
    {
        CaptureDialog dialog;
        dialog.show();
        QVERIFY(dialog.writePath().isEmpty());
        QVERIFY(!dialog.ring().any());
        auto* path = named<QLineEdit>(dialog, u"File to write the capture to"_qs);
        auto* write = named<QCheckBox>(dialog, u"&Write the capture to:"_qs);
        auto* newest = named<QCheckBox>(dialog, u"Keep only the &newest"_qs);
        auto* last = named<QCheckBox>(dialog, u"Keep only the &last"_qs);
        QVERIFY(path && write && newest && last);
        QVERIFY(!path->isEnabled() && !newest->isEnabled());
        write->click();
        QVERIFY(path->isEnabled() && newest->isEnabled());
        QVERIFY(!start(dialog)->isEnabled()); // no file named yet
        QVERIFY(says(dialog, u"Choose the file"_qs));
        QTest::keyClicks(path, u"/tmp/nightly/build.pscap"_qs);
        QVERIFY(start(dialog)->isEnabled());
        QCOMPARE(dialog.writePath(), u"/tmp/nightly/build.pscap"_qs);
        QVERIFY(!dialog.ring().any());
        newest->click();
        QCOMPARE(dialog.ring().maxBytes, std::uint64_t(2) << 30); // 2 GiB unless changed
        auto* size = named<QSpinBox>(dialog, u"Size the ring keeps"_qs);
        auto* sizeUnit = named<QComboBox>(dialog, u"Unit of the size the ring keeps"_qs);
        size->setValue(500);
        sizeUnit->setCurrentIndex(0);
        QCOMPARE(dialog.ring().maxBytes, std::uint64_t(500) << 20);
        last->click();
        QCOMPARE(dialog.ring().keepNs, std::uint64_t(12) * 3600 * 1'000'000'000); // 12 h unless changed
        QVERIFY(says(dialog, u"oldest are deleted"_qs));

        // Another host: a ring is of this machine alone, and Start waits until it is.
        QTest::keyClicks(hostField(dialog), u"build1"_qs);
        QTest::keyClick(hostField(dialog), Qt::Key_Return);
        QVERIFY(!start(dialog)->isEnabled());
        QVERIFY(says(dialog, u"this machine alone"_qs));
        newest->click();
        last->click();
        QVERIFY(start(dialog)->isEnabled()); // a plain file of several hosts is fine

        // What was chosen last time comes back in whole units.
        // The file is offered, not ticked: a new capture would replace it.
        CaptureDialog again;
        again.setWritePath(u"/tmp/nightly/build.pscap"_qs);
        const procscope::capture::RingLimits chosen { std::uint64_t(3) << 30, std::uint64_t(2) * 86400 * 1'000'000'000 };
        again.setRing(chosen);
        QVERIFY(again.writePath().isEmpty());
        QVERIFY(!again.ring().any());
        named<QCheckBox>(again, u"&Write the capture to:"_qs)->click();
        QCOMPARE(again.writePath(), u"/tmp/nightly/build.pscap"_qs);
        QCOMPARE(again.ring().maxBytes, chosen.maxBytes);
        QCOMPARE(again.ring().keepNs, chosen.keepNs);
        QCOMPARE(named<QComboBox>(again, u"Unit of the time the ring keeps"_qs)->currentText(), u"days"_qs);
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
