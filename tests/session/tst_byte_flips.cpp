// SPDX-License-Identifier: GPL-3.0-or-later
// One damaged byte at a time, at every offset of the bundled sample capture: reading never
// crashes, and every change is either detected (reported as damage) or harmless (the summary
// and all three exports are what the intact file gives). The version 1 copy of the same capture,
// which has no checksums, shows what the checksums are for.

#include "session/capture_loader.h"
#include "session/chrome_trace.h"
#include "session/exporters.h"
#include "session/summary.h"

#include <QFile>
#include <QTest>
#include <sstream>

using namespace procscope;
using namespace procscope::session;

namespace {

std::vector<std::byte> readSample(const char* path)
{
    QFile file(QString::fromLocal8Bit(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    const auto* data = reinterpret_cast<const std::byte*>(bytes.constData());
    return { data, data + bytes.size() };
}

// Everything a reader shows of a capture.
std::string rendered(const Session& session)
{
    std::ostringstream out;
    out << summarize(session);
    exportJsonl(session, out);
    exportCsv(session, out);
    exportChromeTrace(session, out);
    return out.str();
}

struct Tally {
    std::size_t flips = 0;
    std::size_t detected = 0;
    std::size_t harmless = 0;
    std::size_t missed = 0; // changed what a reader shows, and nothing said so
    std::vector<std::size_t> missedAt;
    double detectionRate() const { return flips == harmless ? 1.0 : double(detected) / double(flips - harmless); }
};

Tally flipEach(std::vector<std::byte> bytes, std::size_t stride)
{
    Session intact;
    const LoadResult clean = loadCapture(bytes, intact);
    const std::string expected = rendered(intact);
    Tally tally;
    if (!clean.ok() || intact.damaged())
        return tally;
    for (std::size_t at = 0; at < bytes.size(); at += stride) {
        const std::byte original = bytes[at];
        bytes[at] = ~original; // every bit of the byte
        Session session;
        const LoadResult loaded = loadCapture(bytes, session);
        ++tally.flips;
        if (loaded.damage || session.damaged() || loaded.unknownRecords != 0) {
            ++tally.detected;
            // What was read must still render; a sample of them is enough here (the fuzz target
            // renders everything it reads), and rendering is most of the time this test takes.
            if (tally.detected % 32 == 0)
                (void)rendered(session);
        } else if (rendered(session) == expected) {
            ++tally.harmless;
        } else {
            ++tally.missed;
            if (tally.missedAt.size() < 10)
                tally.missedAt.push_back(at);
        }
        bytes[at] = original;
    }
    return tally;
}

QString describe(const Tally& t)
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
        const auto bytes = readSample(PROCSCOPE_SAMPLE_CAPTURE);
        QVERIFY(bytes.size() > 10'000);
        const Tally tally = flipEach(bytes, kStride);
        qInfo("version 2 sample, every %zu bytes: %s", kStride, qPrintable(describe(tally)));
        QCOMPARE(tally.flips, (bytes.size() + kStride - 1) / kStride);
        QVERIFY2(tally.missed == 0, qPrintable(describe(tally)));
        QVERIFY(tally.harmless < 16); // only the preamble's minor version and reserved bytes
    }

    // Not a requirement (version 1 cannot know), but the figure the checksums are measured against.
    void version1SampleForComparison()
    {
        const auto bytes = readSample(PROCSCOPE_SAMPLE_CAPTURE_V1);
        QVERIFY(bytes.size() > 10'000);
        const std::size_t stride = 31 * kStride;
        const Tally tally = flipEach(bytes, stride);
        qInfo("version 1 sample, every %zu bytes: %s", stride, qPrintable(describe(tally)));
        QCOMPARE(tally.flips, (bytes.size() + stride - 1) / stride);
    }
};

QTEST_GUILESS_MAIN(TestByteFlips)
#include "tst_byte_flips.moc"
