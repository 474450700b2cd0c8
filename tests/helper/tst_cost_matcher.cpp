// SPDX-License-Identifier: GPL-3.0-or-later
// Pairing each task's exit event with its figures, which come on another socket in either order.

#include "helper/cost_matcher.h"

#include <QTest>

using namespace procscope::helper;

namespace {
constexpr std::uint64_t kGrace = 2'000'000'000;
constexpr std::uint64_t kMs = 1'000'000;
} // namespace

class TestCostMatcher : public QObject {
    Q_OBJECT

private slots:
    void pairsInEitherOrder()
    {
        CostMatcher matcher(kGrace);
        matcher.exitSeen(10, 1 * kMs);
        matcher.figuresSeen(10, 2 * kMs);
        matcher.figuresSeen(11, 3 * kMs);
        matcher.exitSeen(11, 4 * kMs);
        QCOMPARE(matcher.waiting(), 0u);
        const auto unpaired = matcher.expire(10 * kGrace, true);
        QCOMPARE(unpaired.exitsWithoutFigures, 0u);
        QCOMPARE(unpaired.figuresWithoutExit, 0u);
    }

    void whatWaitsPastTheGraceIsLost()
    {
        CostMatcher matcher(kGrace);
        matcher.exitSeen(10, 0);
        matcher.figuresSeen(20, 0);
        matcher.exitSeen(30, kGrace);
        QVERIFY(matcher.exitWaiting(10));
        auto unpaired = matcher.expire(kGrace + kMs);
        QCOMPARE(unpaired.exitsWithoutFigures, 1u); // 10; 30 is still within its grace
        QCOMPARE(unpaired.figuresWithoutExit, 1u);
        QVERIFY(!matcher.exitWaiting(10));
        QVERIFY(matcher.exitWaiting(30));
        unpaired = matcher.expire(kGrace + 2 * kMs, true);
        QCOMPARE(unpaired.exitsWithoutFigures, 1u);
        QCOMPARE(matcher.waiting(), 0u);
    }

    // A pid exits twice (an exec from a non-leader thread ends the old leader first): two exits
    // and two sets of figures pair one to one.
    void aPidThatExitsTwice()
    {
        CostMatcher matcher(kGrace);
        matcher.exitSeen(10, 0);
        matcher.exitSeen(10, kMs);
        matcher.figuresSeen(10, 2 * kMs);
        QVERIFY(matcher.exitWaiting(10));
        matcher.figuresSeen(10, 3 * kMs);
        QCOMPARE(matcher.waiting(), 0u);
        matcher.figuresSeen(10, 4 * kMs); // a third set has no exit
        QCOMPARE(matcher.expire(0, true).figuresWithoutExit, 1u);
    }

    // Sweeping walks everything waiting: not on every call.
    void sweepsAFewTimesPerGrace()
    {
        CostMatcher matcher(kGrace);
        matcher.exitSeen(10, 0);
        QCOMPARE(matcher.expire(3 * kGrace).exitsWithoutFigures, 1u);
        matcher.exitSeen(11, 3 * kGrace);
        QCOMPARE(matcher.expire(3 * kGrace + kMs).exitsWithoutFigures, 0u); // swept just now
        QCOMPARE(matcher.expire(6 * kGrace).exitsWithoutFigures, 1u);
    }
};

QTEST_GUILESS_MAIN(TestCostMatcher)
#include "tst_cost_matcher.moc"
