<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- English plural forms ("1 event", "2 events") of the sentences with a count, built into procscope.
     Regenerate after changing such a sentence, then fill in the two forms of each new entry:
     lupdate -pluralonly -locations none ui app -target-language en -ts translations/procscope_en.ts
     (tests/ui/tst_translations fails while one is missing.) -->
<TS version="2.1" language="en">
<context>
    <name>DisplayText</name>
    <message numerus="yes">
        <source>LOST %1 events: %2</source>
        <translation>
            <numerusform>LOST %1 event: %2</numerusform>
            <numerusform>LOST %1 events: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>LOST %1 events on cpu %2: %3</source>
        <translation>
            <numerusform>LOST %1 event on cpu %2: %3</numerusform>
            <numerusform>LOST %1 events on cpu %2: %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>procscope::ui::ProcessTreeModel</name>
    <message numerus="yes">
        <source>%1 (%2 children)</source>
        <translation>
            <numerusform>%1 (%2 child)</numerusform>
            <numerusform>%1 (%2 children)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>procscope::ui::FileCommands</name>
    <message numerus="yes">
        <source>%n captures were not saved when Procscope ended; the latest is from %1 (%2). Recover it?</source>
        <translation>
            <numerusform>%n capture was not saved when Procscope ended; it is from %1 (%2). Recover it?</numerusform>
            <numerusform>%n captures were not saved when Procscope ended; the latest is from %1 (%2). Recover it?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>procscope::ui::FileLoader</name>
    <message numerus="yes">
        <source>%1: %2 damaged records were skipped (the rest is shown); the first: %3</source>
        <translation>
            <numerusform>%1: %2 damaged record was skipped (the rest is shown): %3</numerusform>
            <numerusform>%1: %2 damaged records were skipped (the rest is shown); the first: %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>procscope::ui::FilterBar</name>
    <message numerus="yes">
        <source>%1 matching events (for the applied filter; Enter applies this one)</source>
        <translation>
            <numerusform>%1 matching event (for the applied filter; Enter applies this one)</numerusform>
            <numerusform>%1 matching events (for the applied filter; Enter applies this one)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 matching events</source>
        <translation>
            <numerusform>%1 matching event</numerusform>
            <numerusform>%1 matching events</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>procscope::ui::MainActions</name>
    <message numerus="yes">
        <source>%n second(s) after they exit</source>
        <translation>
            <numerusform>%n second after they exit</numerusform>
            <numerusform>%n seconds after they exit</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) after they exit</source>
        <translation>
            <numerusform>%n minute after they exit</numerusform>
            <numerusform>%n minutes after they exit</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>procscope::ui::StatisticsView</name>
    <message numerus="yes">
        <source>%1 (%Ln processes)</source>
        <translation>
            <numerusform>%1 (%Ln process)</numerusform>
            <numerusform>%1 (%Ln processes)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>procscope::ui::StatusPanel</name>
    <message numerus="yes">
        <source>ring: %n files, %1</source>
        <translation>
            <numerusform>ring: %n file, %1</numerusform>
            <numerusform>ring: %n files, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 events shown</source>
        <translation>
            <numerusform>%1 of %2 event shown</numerusform>
            <numerusform>%1 of %2 events shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 events</source>
        <translation>
            <numerusform>%1 event</numerusform>
            <numerusform>%1 events</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 lost</source>
        <translation>
            <numerusform>%1 lost</numerusform>
            <numerusform>%1 lost</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>procscope::ui::Workspace</name>
    <message numerus="yes">
        <source>The capture is kept in %n ring files in %1 (%2 on disk)</source>
        <translation>
            <numerusform>The capture is kept in %n ring file in %1 (%2 on disk)</numerusform>
            <numerusform>The capture is kept in %n ring files in %1 (%2 on disk)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Capture stopped: %1 events, %2 processes, nothing lost.</source>
        <translation>
            <numerusform>Capture stopped: %1 event, %2 processes, nothing lost.</numerusform>
            <numerusform>Capture stopped: %1 events, %2 processes, nothing lost.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Capture stopped: %1 events, %2 processes, %3 lost.</source>
        <translation>
            <numerusform>Capture stopped: %1 event, %2 processes, %3 lost.</numerusform>
            <numerusform>Capture stopped: %1 events, %2 processes, %3 lost.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n events to %1</source>
        <translation>
            <numerusform>Exported %n event to %1</numerusform>
            <numerusform>Exported %n events to %1</numerusform>
        </translation>
    </message>
</context>
</TS>
