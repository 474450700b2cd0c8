// SPDX-License-Identifier: GPL-3.0-or-later
// capture_subtree, which made the bundled sample: what it keeps of a capture reads back
// complete and undamaged, with the trailer's totals counted again; the sample is its own
// build's subtree; a damaged input is refused rather than passed on as intact.

#include "support/capture_samples.h"

#include "session/capture_loader.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <set>

using namespace procscope;

namespace {

int runTool(const QStringList& args)
{
    QProcess tool;
    tool.start(QStringLiteral(PROCSCOPE_CAPTURE_SUBTREE), args);
    if (!tool.waitForFinished(30000) || tool.exitStatus() != QProcess::NormalExit)
        return -1;
    return tool.exitCode();
}

const QString kSample = QStringLiteral(PROCSCOPE_SAMPLE_CAPTURE);

} // namespace

class TestCaptureSubtree : public QObject {
    Q_OBJECT

private slots:
    void keepsOneSubtreeAndRecountsTheTrailer()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"cc.pscap"_qs);
        QCOMPARE(runTool({ kSample, out, u"22313"_qs }), 0); // cc -c a.c: cc1 and as under it
        session::Session session;
        const session::LoadResult loaded = session::loadCapture(out.toStdString(), session);
        QVERIFY(loaded.ok() && !session.damaged() && loaded.unknownRecords == 0);
        std::set<std::uint32_t> pids;
        for (session::NodeId id = 0; id < session.lineage().size(); ++id)
            pids.insert(session.lineage().node(id).pid);
        QCOMPARE(pids, (std::set<std::uint32_t> { 22310, 22313, 22314, 22315 })); // sh only as cc's parent
        QVERIFY(session.lineage().node(session.lineage().find(22310)).placeholder);
        QCOMPARE(session.events().size(), std::size_t { 3 * 3 }); // fork, exec, exit each
        const testing::DecodeOutcome decoded = testing::decodeAll(testing::readBytes(out.toStdString()));
        std::uint64_t events = 0, processes = 0;
        for (const auto& record : decoded.records) {
            events += std::holds_alternative<capture::KernelEventRecord>(record) ? 1 : 0;
            processes += std::holds_alternative<capture::ProcessRecord>(record) ? 1 : 0;
        }
        QVERIFY(session.trailer());
        QCOMPARE(session.trailer()->events, events);
        QCOMPARE(session.trailer()->processes, processes);
        QCOMPARE(processes, std::uint64_t { 3 });
    }

    void theSampleIsItsBuildsSubtree()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"again.pscap"_qs);
        QCOMPARE(runTool({ kSample, out, u"22310"_qs }), 0);
        QCOMPARE(testing::readBytes(out.toStdString()), testing::readBytes(kSample.toStdString()));
    }

    void damagedInputIsRefused()
    {
        QTemporaryDir dir;
        auto bytes = testing::readBytes(kSample.toStdString());
        bytes[bytes.size() / 2] = ~bytes[bytes.size() / 2];
        const QString damaged = dir.filePath(u"damaged.pscap"_qs), out = dir.filePath(u"out.pscap"_qs);
        QFile file(damaged);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
        file.close();
        QCOMPARE(runTool({ damaged, out, u"22310"_qs }), 1);
        QCOMPARE(runTool({ kSample, out }), 2); // no pid
    }
};

QTEST_GUILESS_MAIN(TestCaptureSubtree)
#include "tst_capture_subtree.moc"
