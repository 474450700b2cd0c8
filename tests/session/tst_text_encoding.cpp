// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/text_encoding.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace procscope::session;

class TestTextEncoding : public QObject {
    Q_OBJECT

private slots:
    void utf8Validity_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("length");
        QTest::newRow("ascii") << QByteArray("a") << 1;
        QTest::newRow("2-byte e-acute") << QByteArray("\xc3\xa9") << 2;
        QTest::newRow("3-byte euro") << QByteArray("\xe2\x82\xac") << 3;
        QTest::newRow("4-byte emoji") << QByteArray("\xf0\x9f\x98\x80") << 4;
        QTest::newRow("lone continuation") << QByteArray("\x80") << 0;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << 0;
        QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << 0;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << 0;
        QTest::newRow("beyond U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << 0;
        QTest::newRow("cut short") << QByteArray("\xe2\x82") << 0;
        QTest::newRow("0xff") << QByteArray("\xff") << 0;
    }

    void utf8Validity()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, length);
        QCOMPARE(int(validUtf8Sequence(std::string_view(bytes.constData(), std::size_t(bytes.size())))), length);
    }

    void json_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("plain") << QByteArray("make") << QByteArray("\"make\"");
        QTest::newRow("quote and backslash") << QByteArray("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("controls") << QByteArray("a\nb\tc\x01", 6) << QByteArray("\"a\\nb\\tc\\u0001\"");
        QTest::newRow("nul") << QByteArray("a\0b", 3) << QByteArray("\"a\\u0000b\"");
        QTest::newRow("utf-8 kept") << QByteArray("caf\xc3\xa9") << QByteArray("\"caf\xc3\xa9\"");
        QTest::newRow("invalid byte") << QByteArray("a\xff" "b") << QByteArray("\"a\\udcffb\"");
        QTest::newRow("latin-1 e-acute") << QByteArray("caf\xe9") << QByteArray("\"caf\\udce9\"");
    }

    void json()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, json);
        std::string out;
        appendJsonString(out, std::string_view(bytes.constData(), std::size_t(bytes.size())));
        QCOMPARE(QByteArray::fromStdString(out), json);
        // Valid JSON: parse it as the string value of an array.
        QJsonParseError error;
        QJsonDocument::fromJson("[" + json + "]", &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }

    // The escape is reversible: every byte comes back.
    void jsonRoundTripOfEveryByte()
    {
        std::string all;
        for (int b = 0; b < 256; ++b)
            all += char(b);
        std::string out;
        appendJsonString(out, all);
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString("[" + out + "]"));
        const QString decoded = doc.array().at(0).toString();
        QByteArray restored;
        for (const QChar c : decoded) {
            if (c.unicode() >= 0xDC80 && c.unicode() <= 0xDCFF)
                restored += char(c.unicode() - 0xDC00);
            else
                restored += QString(c).toUtf8();
        }
        QCOMPARE(restored, QByteArray::fromStdString(all));
    }

    void csv_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("csv");
        QTest::newRow("plain") << QByteArray("make") << QByteArray("make");
        QTest::newRow("comma") << QByteArray("a,b") << QByteArray("\"a,b\"");
        QTest::newRow("quote") << QByteArray("say \"hi\"") << QByteArray("\"say \"\"hi\"\"\"");
        QTest::newRow("newline") << QByteArray("a\nb") << QByteArray("\"a\nb\"");
        QTest::newRow("backslash") << QByteArray("a\\b") << QByteArray("a\\\\b");
        QTest::newRow("invalid byte") << QByteArray("a\xff") << QByteArray("a\\xff");
        QTest::newRow("utf-8 kept") << QByteArray("\xc3\xa9") << QByteArray("\xc3\xa9");
    }

    void csv()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, csv);
        std::string out;
        appendCsvField(out, std::string_view(bytes.constData(), std::size_t(bytes.size())));
        QCOMPARE(QByteArray::fromStdString(out), csv);
    }
};

QTEST_APPLESS_MAIN(TestTextEncoding)
#include "tst_text_encoding.moc"
