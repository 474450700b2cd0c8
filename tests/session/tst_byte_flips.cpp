// SPDX-License-Identifier: GPL-3.0-or-later
// One damaged byte at a time, at every offset of the bundled sample capture: reading never
// crashes, and every change is either detected (reported as damage) or harmless (the summary
// and all three exports are what the intact file gives). What the version 1 copy, which has no
// checksums, misses is a figure for comparison, not a requirement: bench_byte_flips measures it.

#include "support/byte_flips.h"
#include "support/capture_samples.h"

#include <QTest>

using namespace procscope;
using namespace procscope::testing;

namespace {

QString describe(const FlipTally& t)
{
    QString text = u"%1 flips: %2 detected, %3 harmless, %4 missed; %5% of harmful flips detected"_qs.arg(t.flips).arg(t.detected).arg(t.harmless).arg(t.missed).arg(100.0 * t.detectionRate(), 0, 'f', 2);
    for (std::size_t at : t.missedAt)
        text += u" [missed at %1]"_qs.arg(at);
    return text;
}

// Under the sanitizers (a Debug build, every access checked) a flip costs about thirty times
// more: a dense sample keeps that run to seconds; the release build flips every byte.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kStride = 7;
#else
constexpr std::size_t kStride = 1;
#endif

} // namespace

class TestByteFlips : public QObject {
    Q_OBJECT

private slots:
    void everyByteOfTheSample()
    {
        const auto bytes = readBytes(PROCSCOPE_SAMPLE_CAPTURE);
        QVERIFY(bytes.size() > 4'000);
        const FlipTally tally = flipEach(bytes, kStride);
        qInfo("version 2 sample, every %zu bytes: %s", kStride, qPrintable(describe(tally)));
        QCOMPARE(tally.flips, (bytes.size() + kStride - 1) / kStride);
        QVERIFY2(tally.missed == 0, qPrintable(describe(tally)));
        QVERIFY(tally.harmless < 16); // only the preamble's minor version and reserved bytes
    }
};

QTEST_GUILESS_MAIN(TestByteFlips)
#include "tst_byte_flips.moc"
