// SPDX-License-Identifier: GPL-3.0-or-later
// CRC32C: known answers (RFC 3720's test vectors), extension, and the CPU instruction agreeing
// with the table at every length and alignment.

#include "capture/crc32c.h"

#include <QTest>
#include <vector>

using namespace procscope::capture;

namespace {

std::span<const std::byte> bytes(const std::vector<std::uint8_t>& v) { return std::as_bytes(std::span(v)); }

std::vector<std::uint8_t> ascending(std::size_t n, std::uint8_t first = 0)
{
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = std::uint8_t(first + i);
    return v;
}

} // namespace

class TestCrc32c : public QObject {
    Q_OBJECT

private slots:
    void knownAnswers_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<quint32>("crc");
        QTest::newRow("empty") << QByteArray() << 0u;
        QTest::newRow("123456789") << QByteArray("123456789") << 0xE3069283u;
        QTest::newRow("32 zeros") << QByteArray(32, '\0') << 0x8A9136AAu;
        QTest::newRow("32 x 0xFF") << QByteArray(32, '\xFF') << 0x62A8AB43u;
        const auto up = ascending(32);
        QTest::newRow("0..31") << QByteArray(reinterpret_cast<const char*>(up.data()), 32) << 0x46DD794Eu;
    }

    void knownAnswers()
    {
        QFETCH(QByteArray, input);
        QFETCH(quint32, crc);
        const auto span = std::as_bytes(std::span(input.constData(), std::size_t(input.size())));
        QCOMPARE(crc32c(span), crc);
        QCOMPARE(detail::crc32cTable(span, 0), crc);
        if (detail::hasCrc32cInstruction())
            QCOMPARE(detail::crc32cInstruction(span, 0), crc);
    }

    void extendsAcrossPieces()
    {
        const auto all = ascending(100, 7);
        const auto whole = crc32c(bytes(all));
        for (std::size_t cut : { 0, 1, 8, 13, 99, 100 })
            QCOMPARE(crc32c(bytes(all).subspan(cut), crc32c(bytes(all).first(cut))), whole);
    }

    void instructionAgreesWithTable()
    {
        if (!detail::hasCrc32cInstruction())
            QSKIP("this CPU has no crc32 instruction: the table is all there is");
        const auto data = ascending(320, 3);
        for (std::size_t start = 0; start < 8; ++start) {
            for (std::size_t length = 0; start + length <= data.size(); ++length) {
                const auto piece = bytes(data).subspan(start, length);
                QCOMPARE(detail::crc32cInstruction(piece, 0x1234), detail::crc32cTable(piece, 0x1234));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestCrc32c)
#include "tst_crc32c.moc"
