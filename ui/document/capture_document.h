// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"
#include "session/running_count.h"
#include "session/session.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <memory>
#include <vector>

namespace procscope::ui {

class DisplayFilterState;
class Navigator;
class ViewOptions;
class EventTableModel;
class ProcessTableModel;
class ProcessTreeModel;

// The capture shown in the window: its session and the models over it. A live capture grows
// through append() (records in batches, applied on the UI thread, then one model update per
// batch); an opened file arrives the same way, as it is read (startFile()).
class CaptureDocument : public QObject {
    Q_OBJECT
public:
    explicit CaptureDocument(QObject* parent = nullptr);
    ~CaptureDocument() override;

    // A new, empty live session (the models reset now, before any data arrives).
    // `pagingDirectory`: where the session pages its event rows (see session::EventStore).
    void startLive(const QString& pagingDirectory = {});
    // Records from the live stream; the models are updated once for the whole batch.
    void append(std::vector<capture::Record> records);
    // The same in two steps: records go to the session; the models follow at flush(), once
    // for everything added since (a tree view lays out all of an open level on each update).
    void add(const std::vector<capture::Record>& records);
    void flush();
    // flush() one model at a time (the filter and tree, the event table, then the process
    // table and changed()), so that each large update holds the UI thread on its own turn:
    // true when the last step is done. flush() finishes a staged update and makes a whole one.
    bool flushStep();
    bool flushInProgress() const { return m_flushStep != 0; }
    // A file being opened replaces whatever was shown: an empty session now, its records
    // through add() and flush() as they are read. `saved`: false for a capture recovered from
    // a crash (the file is only the recovery copy).
    void startFile(const QString& path, const QString& pagingDirectory = {}, bool saved = true);
    // A session built elsewhere (whole) replaces whatever was shown.
    void replace(std::unique_ptr<session::Session> session, const QString& path);
    // Records of the file the reader had to skip as damaged.
    void noteDamage(const session::DamageTally& tally);
    void clear();

    const session::Session* session() const { return m_session.get(); }
    ProcessTreeModel* treeModel() const { return m_tree; }
    EventTableModel* eventModel() const { return m_events; }
    ProcessTableModel* processModel() const { return m_processes; }
    DisplayFilterState* displayFilter() const { return m_filter; }
    // Where the user is in this capture, and how the views show it.
    Navigator* navigator() const { return m_navigator; }
    ViewOptions* viewOptions() const { return m_viewOptions; }

    bool isEmpty() const { return !m_session; }
    bool isLive() const { return m_live; }
    void setLive(bool live) { m_live = live; }
    // The file holding this capture's bytes (the opened file, or a live capture's recovery
    // file) and whether the user has it saved somewhere they chose.
    const QString& sourcePath() const { return m_sourcePath; }
    void setSourcePath(const QString& path) { m_sourcePath = path; }
    bool isSaved() const { return m_saved; }
    void setSaved(bool saved) { m_saved = saved; }

    // The latest kernel timestamp seen (capture time "now").
    std::uint64_t latestNs() const;
    // Processes running now.
    std::size_t runningProcesses() const;

signals:
    void changed(); // new data in the session
    void reset(); // a different session (or none)

private:
    std::unique_ptr<session::Session> m_session;
    std::unique_ptr<session::RunningCount> m_running; // of m_session (goes first)
    void setSessionEverywhere(session::Session* session);
    void begin(const QString& pagingDirectory, bool live, bool saved, const QString& path);

    ProcessTreeModel* m_tree;
    EventTableModel* m_events;
    ProcessTableModel* m_processes;
    DisplayFilterState* m_filter;
    Navigator* m_navigator;
    ViewOptions* m_viewOptions;
    QString m_sourcePath;
    bool m_saved = true;
    int m_flushStep = 0; // the next step of a staged flush (0: none under way)
    bool m_live = false;
};

} // namespace procscope::ui
