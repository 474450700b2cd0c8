// SPDX-License-Identifier: GPL-3.0-or-later
// The capture format: every record kind round-trips; decoding a byte at a time equals decoding
// at once; every kind of damage gets its own error with the right offset, and what came before
// the damage is still delivered.

#include "support/capture_samples.h"

#include "capture/byte_codec.h"

#include <QTest>

using namespace procscope;
using namespace procscope::capture;
using namespace procscope::testing;

namespace {

QByteArray q(const std::vector<std::byte>& bytes) { return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())); }
std::span<const std::byte> s(const QByteArray& bytes) { return { reinterpret_cast<const std::byte*>(bytes.constData()), std::size_t(bytes.size()) }; }

std::vector<std::byte> rawRecord(std::uint16_t kind, const std::vector<std::byte>& body, std::optional<std::uint32_t> length = std::nullopt)
{
    std::vector<std::byte> out;
    ByteWriter w(out);
    w.put(length.value_or(std::uint32_t(body.size())));
    w.put(kind);
    w.put(std::uint16_t { 0 });
    w.putBytes(body);
    return out;
}

std::vector<std::byte> operator+(std::vector<std::byte> a, const std::vector<std::byte>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<std::byte> headerOnly() { return encodeStream({ sampleHeader() }); }
std::vector<std::byte> encoded(const Record& record) { return encodeStream({ record }, false); }

// Offset of the first record after the preamble and header.
std::size_t afterHeader() { return headerOnly().size(); }

} // namespace

class TestCaptureFormat : public QObject {
    Q_OBJECT

private slots:
    void roundTripEachKind_data()
    {
        QTest::addColumn<int>("index");
        const auto records = sampleStream();
        for (std::size_t i = 0; i < records.size(); ++i)
            QTest::newRow(qPrintable(QStringLiteral("record %1 kind %2").arg(i).arg(records[i].index() + 1))) << int(i);
    }

    void roundTripEachKind()
    {
        QFETCH(int, index);
        const auto records = sampleStream();
        std::vector<Record> stream { records[0] };
        if (index != 0)
            stream.push_back(records[std::size_t(index)]);
        const auto outcome = decodeAll(encodeStream(stream));
        QVERIFY(!outcome.end);
        QCOMPARE(outcome.records.size(), stream.size());
        QVERIFY(outcome.records.back() == stream.back());
    }

    void extremeValuesRoundTrip()
    {
        ProcessRecord p = sampleProcess();
        p.pid = p.tgid = p.ppid = p.ruid = p.euid = p.rgid = p.egid = 0xFFFFFFFF;
        p.startNs = p.observedNs = p.eventTimestampNs = ~0ULL;
        p.readable = 0xFFFF;
        p.argv.assign(1000, std::string(100, 'x'));
        p.comm.clear();
        TrailerRecord t { ~0ULL, StopReason::RuntimeError, ~0ULL, 0, { ~0ULL, 1, 2, 3, 4, ~0ULL } };
        LossRecord l { LossReason::MalformedMessage, 0, 0, 0 };
        const std::vector<Record> stream { sampleHeader(), p, t, l };
        const auto outcome = decodeAll(encodeStream(stream));
        QVERIFY(!outcome.end);
        QVERIFY(outcome.records == stream);
    }

    void kernelEventParsesWithTheLiveParser()
    {
        const auto record = sampleKernelEvent(3);
        const auto message = record.parse();
        const auto& event = std::get<protocol::ProcEvent>(message);
        QCOMPARE(event.header, (protocol::EventHeader { 1, 5003, 3, 0 }));
        QCOMPARE(std::get<protocol::ForkEvent>(event.payload), (protocol::ForkEvent { 100, 100, 203, 203 }));
    }

    void fixedLayoutOfAKernelEvent()
    {
        // Preamble and the record header are part of the contract other tools rely on.
        const auto bytes = encodeStream({ sampleKernelEvent(1) });
        QCOMPARE(q(bytes).left(16), QByteArray("\x89PSCAP\r\n\x01\x00\x00\x00\x00\x00\x00\x00", 16));
        QCOMPARE(q(bytes).mid(16, 8), QByteArray("\x30\x00\x00\x00\x02\x00\x00\x00", 8)); // 48-byte body, kind 2
        QCOMPARE(bytes.size(), 16u + 8u + 48u);
    }

    void chunkingDoesNotMatter_data()
    {
        QTest::addColumn<int>("chunk");
        for (int chunk : { 1, 2, 3, 7, 8, 9, 16, 64, 1000 })
            QTest::newRow(qPrintable(QString::number(chunk))) << chunk;
    }

    void chunkingDoesNotMatter()
    {
        QFETCH(int, chunk);
        const auto records = sampleStream();
        const auto bytes = encodeStream(records);
        const auto whole = decodeAll(bytes);
        const auto pieces = decodeAll(bytes, std::size_t(chunk));
        QVERIFY(!whole.end);
        QVERIFY(!pieces.end);
        QVERIFY(whole.records == records);
        QVERIFY(pieces.records == records);
        QVERIFY(pieces.sawTrailer);
    }

    void damage_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<QString>("endError"); // empty: clean end
        QTest::addColumn<qint64>("endOffset");
        QTest::addColumn<int>("records");
        QTest::addColumn<int>("corrupt");
        QTest::addColumn<int>("unknown");

        const auto full = encodeStream(sampleStream());
        const qint64 h = qint64(afterHeader());
        const auto process = encoded(sampleProcess());
        const auto loss = encoded(LossRecord { LossReason::SequenceGap, 0, 3, 4 });
        auto row = [](const char* name, const std::vector<std::byte>& bytes, const char* error, qint64 offset, int records, int corrupt = 0, int unknown = 0) {
            for (int chunk : { 0, 1 })
                QTest::newRow(qPrintable(QStringLiteral("%1, chunk %2").arg(QLatin1String(name)).arg(chunk)))
                    << q(bytes) << chunk << QString::fromLatin1(error) << offset << records << corrupt << unknown;
        };

        row("complete stream", full, "", 0, int(sampleStream().size()));
        row("header only (a recording cut short)", headerOnly(), "", 0, 1);
        row("empty", {}, "empty-stream", 0, 0);
        row("text file", std::vector<std::byte>(20, std::byte { 'a' }), "wrong-magic", 0, 0);
        {
            auto bytes = full;
            bytes[6] = std::byte { '\n' }; // CR lost to a text-mode copy
            row("mangled magic", bytes, "wrong-magic", 0, 0);
        }
        {
            auto bytes = full;
            bytes[8] = std::byte { 2 };
            row("newer major version", bytes, "newer-version", 8, 0);
            bytes[8] = std::byte { 0 };
            row("version 0", bytes, "newer-version", 8, 0);
        }
        {
            auto bytes = full;
            bytes[10] = std::byte { 9 }; // newer minor: readable
            row("newer minor version", bytes, "", 0, int(sampleStream().size()));
        }
        row("preamble cut", std::vector<std::byte>(full.begin(), full.begin() + 10), "truncated-record", 0, 0);
        row("preamble only", std::vector<std::byte>(full.begin(), full.begin() + 16), "missing-header", 16, 0);
        row("first record not a header", encodeStream({}) + loss, "missing-header", 16, 0);
        row("unknown first record", encodeStream({}) + rawRecord(77, {}), "missing-header", 16, 0);
        row("header body corrupt", encodeStream({}) + rawRecord(1, std::vector<std::byte>(10)), "corrupt-record", 16, 0);
        row("last record cut in its body", headerOnly() + std::vector<std::byte>(process.begin(), process.end() - 5),
            "truncated-record", h, 1);
        row("last record cut in its header", headerOnly() + loss + std::vector<std::byte>(process.begin(), process.begin() + 5),
            "truncated-record", h + qint64(loss.size()), 2);
        row("oversized length", headerOnly() + loss + rawRecord(3, {}, 0x7FFFFFFF) + loss, "oversized-record",
            h + qint64(loss.size()), 2);
        row("length just over the cap", headerOnly() + rawRecord(2, {}, (1u << 20) + 1), "oversized-record", h, 1);
        row("unknown kind skipped", headerOnly() + rawRecord(99, std::vector<std::byte>(33)) + loss, "", 0, 2, 0, 1);
        row("short loss body skipped", headerOnly() + rawRecord(4, std::vector<std::byte>(5)) + loss, "", 0, 2, 1);
        row("short kernel event skipped", headerOnly() + rawRecord(2, std::vector<std::byte>(7)) + loss, "", 0, 2, 1);
        {
            auto body = std::vector<std::byte>(loss.begin() + 8, loss.end());
            body[0] = std::byte { 9 };
            row("unknown loss reason skipped", headerOnly() + rawRecord(4, body) + loss, "", 0, 2, 1);
        }
        {
            auto bytes = process;
            // argc sits right after the three strings; forge it huge.
            const std::size_t argcAt = 8 + 4 + 7 * 4 + 3 * 8 + (4 + 4) + (4 + 13) + (4 + 17);
            protocol::writeAt<std::uint32_t>(std::span<std::byte>(bytes), argcAt, 0x40000000);
            row("forged argument count skipped", headerOnly() + bytes + loss, "", 0, 2, 1);
        }
        row("second header skipped", headerOnly() + encoded(sampleHeader()) + loss, "", 0, 2, 1);
        {
            auto body = std::vector<std::byte>(loss.begin() + 8, loss.end());
            body.resize(body.size() + 12, std::byte { 0x5A }); // fields a newer writer appended
            row("longer body accepted", headerOnly() + rawRecord(4, body), "", 0, 2);
        }
    }

    void damage()
    {
        QFETCH(QByteArray, stream);
        QFETCH(int, chunk);
        QFETCH(QString, endError);
        QFETCH(qint64, endOffset);
        QFETCH(int, records);
        QFETCH(int, corrupt);
        QFETCH(int, unknown);
        const auto outcome = decodeAll(s(stream), std::size_t(chunk));
        if (endError.isEmpty()) {
            QVERIFY2(!outcome.end, outcome.end ? outcome.end->message().c_str() : "");
        } else {
            QVERIFY(outcome.end);
            QCOMPARE(QString::fromLatin1(decodeErrorKindName(outcome.end->kind)), endError);
            QCOMPARE(qint64(outcome.end->offset), endOffset);
            QVERIFY(outcome.end->message().find("at byte offset " + std::to_string(endOffset)) != std::string::npos);
        }
        QCOMPARE(int(outcome.records.size()), records);
        QCOMPARE(int(outcome.skipped.size()), corrupt);
        QCOMPARE(int(outcome.unknownSkipped), unknown);
    }

    void errorMessages()
    {
        const auto wrong = decodeAll(std::vector<std::byte>(20, std::byte { 'a' }));
        QCOMPARE(wrong.end->message(), std::string("not a Procscope capture (wrong magic bytes) (at byte offset 0)"));
        auto newer = headerOnly();
        newer[8] = std::byte { 3 };
        QCOMPARE(decodeAll(newer).end->message(), std::string("written by format version 3.0; this build reads version 1 (at byte offset 8)"));
        const auto process = encoded(sampleProcess());
        const auto cut = decodeAll(headerOnly() + std::vector<std::byte>(process.begin(), process.end() - 5));
        QCOMPARE(cut.end->message(), "the stream ends inside a record: " + std::to_string(process.size() - 5) + " bytes of "
                + std::to_string(process.size()) + " (at byte offset " + std::to_string(afterHeader()) + ")");
    }

    void oversizedBodyIsNotEncoded()
    {
        ProcessRecord huge = sampleProcess();
        huge.argv.assign(3, std::string(400'000, 'a'));
        std::vector<std::byte> out { std::byte { 1 } };
        QVERIFY(!appendRecord(huge, out));
        QCOMPARE(out.size(), 1u);
    }

    void failedDecoderIgnoresMoreInput()
    {
        StreamDecoder decoder;
        const std::vector<std::byte> junk(16, std::byte { 'x' });
        decoder.feed(junk);
        Record record;
        QCOMPARE(decoder.next(record), StreamDecoder::Step::Failed);
        const auto good = headerOnly();
        decoder.feed(good);
        QCOMPARE(decoder.next(record), StreamDecoder::Step::Failed);
        QCOMPARE(decoder.finish()->kind, DecodeErrorKind::WrongMagic);
    }
};

QTEST_APPLESS_MAIN(TestCaptureFormat)
#include "tst_capture_format.moc"
