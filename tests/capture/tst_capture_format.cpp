// SPDX-License-Identifier: GPL-3.0-or-later
// The capture format: every record kind round-trips; decoding a byte at a time equals decoding
// at once; every kind of damage gets its own error with the right offset, and what came before
// the damage is still delivered.

#include "support/capture_samples.h"

#include "capture/byte_codec.h"
#include "capture/crc32c.h"
#include "capture/record_header.h"

#include <QTest>

using namespace procscope;
using namespace procscope::capture;
using namespace procscope::testing;

namespace {

QByteArray q(const std::vector<std::byte>& bytes) { return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())); }
std::span<const std::byte> s(const QByteArray& bytes) { return { reinterpret_cast<const std::byte*>(bytes.constData()), std::size_t(bytes.size()) }; }

// A version 2 record with intact framing around any body (checksums that match), or with a
// forged length that the header checksum still covers.
std::vector<std::byte> rawRecord(std::uint16_t kind, const std::vector<std::byte>& body, std::optional<std::uint32_t> length = std::nullopt)
{
    std::vector<std::byte> out(kRecordHeaderSize);
    writeRecordHeader(out.data(), kind, body);
    if (length) {
        protocol::writeAt<std::uint32_t>(std::span<std::byte>(out), 4, *length);
        protocol::writeAt<std::uint32_t>(std::span<std::byte>(out), 12, crc32c(std::span<const std::byte>(out).first(12)));
    }
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

// Version 1 framing: length, kind, flags.
std::vector<std::byte> rawRecordV1(std::uint16_t kind, const std::vector<std::byte>& body, std::optional<std::uint32_t> length = std::nullopt)
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

std::vector<std::byte> flipped(std::vector<std::byte> bytes, std::size_t at)
{
    bytes[at] ^= std::byte { 0x10 };
    return bytes;
}

std::vector<std::byte> headerOnly() { return encodeStream({ sampleHeader() }); }
std::vector<std::byte> encoded(const Record& record) { return encodeStream({ record }, false); }
std::vector<std::byte> headerOnlyV1() { return encodeStreamV1({ sampleHeader() }); }
std::vector<std::byte> encodedV1(const Record& record) { return encodeStreamV1({ record }, false); }

// Offset of the first record after the preamble and header.
std::size_t afterHeader() { return headerOnly().size(); }
std::size_t afterHeaderV1() { return headerOnlyV1().size(); }

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

    // Minor version 1: the per-task accounting's record and loss reasons.
    void taskCostRoundTrips()
    {
        TaskCostRecord c;
        c.flags = cost_flags::kGroupEnded | cost_flags::kRunning;
        c.timestampNs = 123456789;
        protocol::TaskFigures& f = c.figures;
        f.pid = 7, f.tgid = 6, f.ppid = 5, f.exitCode = 0x300, f.version = 16;
        std::uint64_t value = 1;
        for (std::uint64_t* field : { &f.userNs, &f.systemNs, &f.elapsedNs, &f.maxRssBytes, &f.maxVmBytes, &f.readBytes, &f.writeBytes,
                 &f.readChars, &f.writeChars, &f.minorFaults, &f.majorFaults, &f.voluntarySwitches, &f.involuntarySwitches,
                 &f.cpuDelayNs, &f.blkioDelayNs, &f.swapinDelayNs, &f.reclaimDelayNs })
            *field = (value *= 3); // each different, so a swapped field shows
        f.maxVmBytes = ~0ULL;
        f.comm = "cc1plus";
        f.groupEnded = true;
        LossRecord l { LossReason::CostWithoutExit, protocol::kNoCpu, 3, 9 };
        QCOMPARE(std::to_integer<int>(encoded(l)[2]), int(RecordKind::CostLoss)); // a 2.0 reader skips it as unknown
        TrailerRecord t { 1, StopReason::Signal, 2, 3, { 1, 2, 3, 4, 5, 6, 7, 8, 9 } };
        const std::vector<Record> stream { sampleHeader(), c, l, t };
        const auto outcome = decodeAll(encodeStream(stream));
        QVERIFY(!outcome.end);
        QVERIFY(outcome.records == stream);
    }

    // A 2.0 trailer has six loss totals: the accounting's three read as 0.
    void trailerOfMinorVersion0()
    {
        TrailerRecord t { 1, StopReason::Signal, 2, 3, { 1, 2, 3, 4, 5, 6, 0, 0, 0 } };
        auto body = encoded(t);
        body.erase(body.begin(), body.begin() + 16);
        body.resize(body.size() - 3 * 8);
        const auto outcome = decodeAll(headerOnly() + rawRecord(6, body));
        QVERIFY(!outcome.end);
        QCOMPARE(outcome.records.size(), 2u);
        QVERIFY(outcome.records.back() == Record(t));
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
        QCOMPARE(q(bytes).left(16), QByteArray("\x89PSCAP\r\n\x02\x00\x01\x00\x00\x00\x00\x00", 16)); // 2.1
        QCOMPARE(q(bytes).mid(16, 8), QByteArray("\xF5\xC1\x02\x00\x30\x00\x00\x00", 8)); // marker, kind 2, 48-byte body
        QCOMPARE(bytes.size(), 16u + 16u + 48u);
        const auto record = std::span<const std::byte>(bytes).subspan(16);
        QCOMPARE(protocol::readAt<std::uint32_t>(record, 8), crc32c(record.subspan(16)));
        QCOMPARE(protocol::readAt<std::uint32_t>(record, 12), crc32c(record.first(12)));
    }

    void version1StillReads()
    {
        const auto records = sampleStream();
        const auto bytes = encodeStreamV1(records);
        QCOMPARE(q(bytes).mid(8, 2), QByteArray("\x01\x00", 2));
        QCOMPARE(q(bytes).mid(20, 4), QByteArray("\x01\x00\x00\x00", 4)); // after the length: kind 1, flags 0
        for (std::size_t chunk : { 0, 1, 7 }) {
            const auto outcome = decodeAll(bytes, chunk);
            QVERIFY(!outcome.end);
            QVERIFY(outcome.records == records);
            QVERIFY(outcome.sawTrailer);
        }
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

        auto row = [](const QString& name, const std::vector<std::byte>& bytes, const char* error, qint64 offset, int records, int corrupt = 0, int unknown = 0) {
            for (int chunk : { 0, 1 })
                QTest::newRow(qPrintable(QStringLiteral("%1, chunk %2").arg(name).arg(chunk)))
                    << q(bytes) << chunk << QString::fromLatin1(error) << offset << records << corrupt << unknown;
        };
        const int all = int(sampleStream().size());

        // Version 1: no checksums. Damage is found where a field becomes impossible; a damaged
        // length ends the stream.
        {
            const auto full = encodeStreamV1(sampleStream());
            const qint64 h = qint64(afterHeaderV1());
            const auto process = encodedV1(sampleProcess());
            const auto loss = encodedV1(LossRecord { LossReason::SequenceGap, 0, 3, 4 });
            const auto v1 = [&row](const char* name, const std::vector<std::byte>& bytes, const char* error, qint64 offset, int records, int corrupt = 0, int unknown = 0) {
                row(u"v1 "_qs + QLatin1String(name), bytes, error, offset, records, corrupt, unknown);
            };
            v1("complete stream", full, "", 0, all);
            v1("header only (a recording cut short)", headerOnlyV1(), "", 0, 1);
            {
                auto bytes = full;
                bytes[8] = std::byte { 4 };
                v1("newer major version", bytes, "newer-version", 8, 0);
            }
            v1("first record not a header", encodeStreamV1({}) + loss, "missing-header", 16, 0);
            v1("header body corrupt", encodeStreamV1({}) + rawRecordV1(1, std::vector<std::byte>(10)), "corrupt-record", 16, 0);
            v1("last record cut in its body", headerOnlyV1() + std::vector<std::byte>(process.begin(), process.end() - 5),
                "truncated-record", h, 1);
            v1("last record cut in its header", headerOnlyV1() + loss + std::vector<std::byte>(process.begin(), process.begin() + 5),
                "truncated-record", h + qint64(loss.size()), 2);
            v1("oversized length", headerOnlyV1() + loss + rawRecordV1(3, {}, 0x7FFFFFFF) + loss, "oversized-record",
                h + qint64(loss.size()), 2);
            v1("length just over the cap", headerOnlyV1() + rawRecordV1(2, {}, (1u << 20) + 1), "oversized-record", h, 1);
            v1("unknown kind skipped", headerOnlyV1() + rawRecordV1(99, std::vector<std::byte>(33)) + loss, "", 0, 2, 0, 1);
            v1("short loss body skipped", headerOnlyV1() + rawRecordV1(4, std::vector<std::byte>(5)) + loss, "", 0, 2, 1);
            {
                auto bytes = process;
                // argc sits right after the three strings; forge it huge.
                const std::size_t argcAt = 8 + 4 + 7 * 4 + 3 * 8 + (4 + 4) + (4 + 13) + (4 + 17);
                protocol::writeAt<std::uint32_t>(std::span<std::byte>(bytes), argcAt, 0x40000000);
                v1("forged argument count skipped", headerOnlyV1() + bytes + loss, "", 0, 2, 1);
            }
        }

        // Version 2 (written now): every record checks itself.
        const auto full = encodeStream(sampleStream());
        const qint64 h = qint64(afterHeader());
        const auto process = encoded(sampleProcess());
        const auto loss = encoded(LossRecord { LossReason::SequenceGap, 0, 3, 4 });
        const auto v2 = [&row](const char* name, const std::vector<std::byte>& bytes, const char* error, qint64 offset, int records, int corrupt = 0, int unknown = 0) {
            row(QLatin1String(name), bytes, error, offset, records, corrupt, unknown);
        };
        v2("complete stream", full, "", 0, all);
        v2("header only (a recording cut short)", headerOnly(), "", 0, 1);
        v2("empty", {}, "empty-stream", 0, 0);
        v2("text file", std::vector<std::byte>(20, std::byte { 'a' }), "wrong-magic", 0, 0);
        {
            auto bytes = full;
            bytes[6] = std::byte { '\n' }; // CR lost to a text-mode copy
            v2("mangled magic", bytes, "wrong-magic", 0, 0);
            bytes = full;
            bytes[8] = std::byte { 4 };
            v2("newer major version", bytes, "newer-version", 8, 0);
            bytes[8] = std::byte { 3 }; // several hosts: a host declaration comes first
            v2("one host's stream labelled as several", bytes, "missing-header", 16, 0);
            bytes[8] = std::byte { 0 };
            v2("version 0", bytes, "newer-version", 8, 0);
            bytes = full;
            bytes[10] = std::byte { 9 }; // newer minor: readable
            v2("newer minor version", bytes, "", 0, all);
        }
        v2("preamble cut", std::vector<std::byte>(full.begin(), full.begin() + 10), "truncated-record", 0, 0);
        v2("preamble only", std::vector<std::byte>(full.begin(), full.begin() + 16), "missing-header", 16, 0);
        v2("first record not a header", encodeStream({}) + loss, "missing-header", 16, 0);
        v2("unknown first record", encodeStream({}) + rawRecord(77, {}), "missing-header", 16, 0);
        v2("header body impossible (checksum fine)", encodeStream({}) + rawRecord(1, std::vector<std::byte>(10)), "corrupt-record", 16, 0);
        v2("last record cut in its body", headerOnly() + std::vector<std::byte>(process.begin(), process.end() - 5),
            "truncated-record", h, 1);
        v2("last record cut in its header", headerOnly() + loss + std::vector<std::byte>(process.begin(), process.begin() + 5),
            "truncated-record", h + qint64(loss.size()), 2);
        v2("unknown kind skipped", headerOnly() + rawRecord(99, std::vector<std::byte>(33)) + loss, "", 0, 2, 0, 1);
        v2("short loss body skipped", headerOnly() + rawRecord(4, std::vector<std::byte>(5)) + loss, "", 0, 2, 1);
        v2("short kernel event skipped", headerOnly() + rawRecord(2, std::vector<std::byte>(7)) + loss, "", 0, 2, 1);
        {
            auto body = std::vector<std::byte>(loss.begin() + 16, loss.end());
            body[0] = std::byte { 10 };
            v2("unknown loss reason skipped", headerOnly() + rawRecord(4, body) + loss, "", 0, 2, 1);
            body = std::vector<std::byte>(loss.begin() + 16, loss.end());
            body.resize(body.size() + 12, std::byte { 0x5A }); // fields a newer writer appended
            v2("longer body accepted", headerOnly() + rawRecord(4, body), "", 0, 2);
        }
        v2("second header skipped", headerOnly() + encoded(sampleHeader()) + loss, "", 0, 2, 1);

        // One damaged byte costs one record, wherever it is; the records after it are read.
        for (std::size_t at : { std::size_t(0), std::size_t(1), std::size_t(3), std::size_t(5), std::size_t(9), std::size_t(14), std::size_t(16), process.size() - 1 })
            v2(qPrintable(u"process record byte %1 damaged"_qs.arg(at)), headerOnly() + flipped(process, at) + loss, "", 0, 2, 1);
        v2("damaged header record", flipped(headerOnly(), 40) + process + loss, "", 0, 2, 1);
        v2("damaged first record header", flipped(headerOnly(), 20) + process + loss, "", 0, 2, 1);
        v2("garbage between records", headerOnly() + std::vector<std::byte>(37, std::byte { 0xF5 }) + loss, "", 0, 2, 1);
        v2("length beyond the cap, checksum fine", headerOnly() + loss + rawRecord(3, {}, 0x7FFFFFFF) + loss, "", 0, 3, 1);
        v2("length just over the cap", headerOnly() + rawRecord(2, {}, (1u << 20) + 1) + loss, "", 0, 2, 1);
        v2("damage up to the end", headerOnly() + loss + flipped(process, 2), "corrupt-record", h + qint64(loss.size()), 2);
        v2("garbage at the end", headerOnly() + loss + std::vector<std::byte>(9, std::byte { 1 }), "truncated-record",
            h + qint64(loss.size()), 2);
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
        newer[8] = std::byte { 4 };
        newer[10] = std::byte { 0 };
        QCOMPARE(decodeAll(newer).end->message(), std::string("written by format version 4.0; this build reads versions 1 to 3 (at byte offset 8)"));
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
