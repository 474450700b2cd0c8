// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/loss_accounting.h"

#include <QTest>

using namespace procscope;
using namespace procscope::capture;
using namespace procscope::helper;

class TestLossAccounting : public QObject {
    Q_OBJECT

private slots:
    void totalsAndUnreported()
    {
        LossAccounting losses;
        losses.add(LossReason::SequenceGap, 5, 0);
        losses.add(LossReason::SequenceGap, 2, 1);
        losses.add(LossReason::SequenceGap, 1, 0);
        losses.add(LossReason::KernelOverrun, 1);
        losses.add(LossReason::OutputBuffer, 0); // nothing lost, nothing recorded
        QCOMPARE(losses.total(LossReason::SequenceGap), 8u);
        QCOMPARE(losses.total(LossReason::KernelOverrun), 1u);
        QCOMPARE(losses.total(LossReason::OutputBuffer), 0u);
        const auto pending = losses.unreported(77);
        QCOMPARE(pending.size(), 3u);
        QCOMPARE(pending[0], (LossRecord { LossReason::KernelOverrun, protocol::kNoCpu, 1, 77 }));
        QCOMPARE(pending[1], (LossRecord { LossReason::SequenceGap, 0, 6, 77 }));
        QCOMPARE(pending[2], (LossRecord { LossReason::SequenceGap, 1, 2, 77 }));
    }

    // A loss record that could not be written is offered again, with what came since.
    void refusedRecordsAreRetried()
    {
        LossAccounting losses;
        losses.add(LossReason::OutputBuffer, 3);
        auto first = losses.unreported(1);
        QCOMPARE(first.size(), 1u);
        // not marked: the output refused it
        losses.add(LossReason::OutputBuffer, 2);
        auto second = losses.unreported(2);
        QCOMPARE(second.size(), 1u);
        QCOMPARE(second[0].count, 5u);
        losses.markReported(second[0]);
        QVERIFY(losses.unreported(3).empty());
        QCOMPARE(losses.total(LossReason::OutputBuffer), 5u);
    }
};

QTEST_APPLESS_MAIN(TestLossAccounting)
#include "tst_loss_accounting.moc"
