// SPDX-License-Identifier: GPL-3.0-or-later
// Replays the fuzz corpus through the parser in the normal build. The real-*.bin seeds were
// recorded from a 6.18 kernel: each must parse to exactly one event of the kind in its name.

#include "../support/qt_bytes.h"
#include "protocol/event_names.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace procscope::protocol;
using namespace procscope::testing;

class TestFuzzCorpus : public QObject {
    Q_OBJECT

private slots:
    void corpusFile_data()
    {
        QTest::addColumn<QString>("path");
        const QDir corpus(QStringLiteral(PROCSCOPE_PARSER_CORPUS));
        const QStringList files = corpus.entryList(QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 10, "the seed corpus is missing");
        for (const QString& file : files)
            QTest::newRow(qPrintable(file)) << corpus.filePath(file);
    }

    void corpusFile()
    {
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const auto messages = parseDatagram(asBytes(bytes), 0);
        QVERIFY(messages.size() <= std::size_t(bytes.size()) / 16 + 1);

        const QString name = QFileInfo(path).fileName();
        if (!name.startsWith(u"real-"_qs))
            return;
        QCOMPARE(bytes.size(), 76);
        QCOMPARE(messages.size(), 1u);
        const QString kind = name.section(u'-', 1, 1);
        if (kind == u"ack"_qs) {
            QCOMPARE(std::get<SubscribeAck>(messages[0]).err, 0u);
            return;
        }
        const auto* event = std::get_if<ProcEvent>(&messages[0]);
        QVERIFY2(event, dumpMessage(messages[0]).c_str());
        QCOMPARE(QString::fromLatin1(payloadName(event->payload)), kind);
        QVERIFY(event->header.timestampNs > 0);
    }
};

QTEST_APPLESS_MAIN(TestFuzzCorpus)
#include "tst_fuzz_corpus.moc"
