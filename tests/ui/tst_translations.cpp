// SPDX-License-Identifier: GPL-3.0-or-later
// Ready to translate: the build's translations/procscope.ts holds every string the window
// shows, whole sentences without HTML, counts as plural forms; the English plural forms are
// built in and cover every sentence with a count.

#include "models/display_text.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message {
    QString context;
    QString source;
    bool numerus = false;
    int forms = 0; // numerusform entries that are filled in
};

QList<Message> readTs(const QString& path)
{
    QList<Message> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return messages;
    QXmlStreamReader xml(&file);
    QString context;
    while (!xml.atEnd()) {
        if (!xml.readNextStartElement())
            continue;
        if (xml.name() == u"name")
            context = xml.readElementText();
        else if (xml.name() == u"message")
            messages.append({ context, {}, xml.attributes().value(u"numerus"_qs) == u"yes", 0 });
        else if (xml.name() == u"source" && !messages.isEmpty())
            messages.last().source = xml.readElementText();
        else if (xml.name() == u"numerusform" && !messages.isEmpty() && !xml.readElementText().isEmpty())
            ++messages.last().forms;
    }
    return messages;
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void theBuildExtractsWholeSentencesWithoutMarkup()
    {
        const QList<Message> messages = readTs(QStringLiteral(PROCSCOPE_TS));
        QVERIFY2(messages.size() > 300, qPrintable(QString::number(messages.size())));
        const QRegularExpression markup(u"<(/?[a-zA-Z][a-zA-Z0-9]*)[ >/]"_qs);
        QStringList withMarkup;
        QStringList sources;
        int plurals = 0;
        for (const Message& message : messages) {
            if (markup.match(message.source).hasMatch())
                withMarkup << message.source;
            sources << message.source;
            plurals += message.numerus ? 1 : 0;
        }
        QVERIFY2(withMarkup.isEmpty(), qPrintable(withMarkup.join(u"\n"_qs)));
        QVERIFY(plurals >= 10);
        // The words a process's state is told in are translatable too.
        for (const QString& word : { u"running"_qs, u"exited %1"_qs, u"killed by %1"_qs, u"killed by %1 (core dumped)"_qs, u"forked by %1, child %2"_qs })
            QVERIFY2(sources.contains(word), qPrintable(word));
    }

    void everySentenceWithACountHasItsEnglishPluralForms()
    {
        QStringList english;
        for (const Message& message : readTs(QStringLiteral(PROCSCOPE_EN_TS))) {
            if (message.forms == 2)
                english << message.context + u'|' + message.source;
        }
        QStringList missing;
        for (const Message& message : readTs(QStringLiteral(PROCSCOPE_TS))) {
            if (message.numerus && !english.contains(message.context + u'|' + message.source))
                missing << message.context + u": "_qs + message.source;
        }
        QVERIFY2(missing.isEmpty(), qPrintable(u"run `lupdate -pluralonly` into translations/procscope_en.ts and fill in:\n"_qs + missing.join(u'\n')));
    }

    void theEnglishPluralFormsAreBuiltIn()
    {
        QCOMPARE(QCoreApplication::translate("procscope::ui::StatusPanel", "%1 events", nullptr, 1), u"%1 event"_qs);
        QCOMPARE(QCoreApplication::translate("procscope::ui::StatusPanel", "%1 events", nullptr, 2), u"%1 events"_qs);
        QCOMPARE(QCoreApplication::translate("procscope::ui::MainActions", "%n second(s) after they exit", nullptr, 1), u"1 second after they exit"_qs);
        QCOMPARE(QCoreApplication::translate("procscope::ui::MainActions", "%n second(s) after they exit", nullptr, 30), u"30 seconds after they exit"_qs);
        // Counts past an int (a day of a busy machine's events) still choose the plural.
        QCOMPARE(procscope::ui::pluralForm(5'000'000'000ULL), INT_MAX);
        QCOMPARE(procscope::ui::pluralForm(1), 1);
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
