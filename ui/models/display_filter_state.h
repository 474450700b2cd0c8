// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/paged_array.h"
#include "session/display_filter.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <memory>
#include <vector>

namespace procscope::ui {

// The display filter applied to the window: which event rows match, and which processes have a
// matching event (the tree and the process table show those). Evaluation runs on the UI
// thread in slices of a few milliseconds, so a million rows never freeze the window and a live
// capture can keep appending meanwhile; a newer filter cancels an older one (its result is
// dropped). Once applied, rows that arrive later are tested as they come (catchUp()).
class DisplayFilterState : public QObject {
    Q_OBJECT
public:
    explicit DisplayFilterState(QObject* parent = nullptr);

    void setSession(const session::Session* session); // drops any filter
    // Starts evaluating `filter` (compiled from `text`); applied() follows, unless superseded.
    void apply(std::shared_ptr<const session::DisplayFilter> filter, const QString& text);
    void clear();
    // "Apply as filter" from any view: the filter bar compiles the text, shows it and keeps its
    // history, then applies it (or, with `apply` false, leaves it to be edited). Empty clears.
    void request(const QString& expression, bool apply = true) { emit requested(expression, apply); }
    // Tests the rows the session gained since the last call (or since the filter was applied).
    void catchUp();

    bool active() const { return m_filter != nullptr; }
    bool busy() const { return m_job != nullptr; }
    const QString& text() const { return m_text; }
    bool rowMatches(std::size_t row) const { return !m_filter || (row < m_matches.size() && m_matches[row]); }
    bool nodeMatches(session::NodeId node) const { return !m_filter || m_nodeHits.get(node) != 0; }
    // The process or one of its descendants has a matching event (the tree keeps those).
    bool subtreeMatches(session::NodeId node) const { return !m_filter || m_subtreeHits.get(node) != 0; }
    // One of its descendants has a matching event (the tree shows it has children).
    bool descendantMatches(session::NodeId node) const { return !m_filter || (m_subtreeHits.get(node) & kDescendantHit) != 0; }
    std::size_t matchCount() const { return m_rows.size(); }
    // Counts the results put in place (and dropped): a view's copy of them is current when it
    // saw the same number.
    std::uint64_t generation() const { return m_generation; }
    // The matching rows in order, collected while the filter ran, so that a view needs no pass
    // over every row of the capture to show them.
    const std::vector<std::uint32_t>& matchingRows() const { return m_rows; }
    std::size_t testedRows() const { return m_matches.size(); }
    // How long the last evaluation took, and its longest slice (milliseconds).
    qint64 lastDurationMs() const { return m_lastDurationMs; }
    qint64 lastLongestSliceMs() const { return m_lastLongestSliceMs; }

    static constexpr int kSliceMs = 8;

signals:
    void requested(const QString& expression, bool apply);
    void progress(int percent);
    void applied(); // the result of the latest apply() or clear() is in place
    void rowsMatched(); // catchUp() found new matching rows

private:
    struct Job {
        std::shared_ptr<const session::DisplayFilter> filter;
        QString text;
        std::size_t next = 0;
        std::size_t end = 0;
        std::vector<bool> matches; // one bit per row: a day's capture is a lot of rows
        std::vector<std::uint32_t> rows;
        session::PagedArray<std::uint32_t> nodeHits;
        session::PagedArray<std::uint8_t> subtreeHits;
        QElapsedTimer clock;
        qint64 longestSliceMs = 0;
    };
    void runSlice();
    void drop(); // no filter, no job, no results
    struct Results {
        std::vector<bool>& matches;
        std::vector<std::uint32_t>& rows;
        session::PagedArray<std::uint32_t>& nodeHits;
        session::PagedArray<std::uint8_t>& subtreeHits;
    };
    static void test(const session::Session& session, const session::DisplayFilter& filter, std::size_t row, Results results);

    const session::Session* m_session = nullptr;
    std::shared_ptr<const session::DisplayFilter> m_filter;
    QString m_text;
    std::vector<bool> m_matches; // per event row tested so far
    std::vector<std::uint32_t> m_rows; // the matching ones
    session::PagedArray<std::uint32_t> m_nodeHits; // matching events per node
    static constexpr std::uint8_t kSubtreeHit = 1; // it or a descendant has a match
    static constexpr std::uint8_t kDescendantHit = 2; // a descendant has a match
    session::PagedArray<std::uint8_t> m_subtreeHits; // per node: kSubtreeHit | kDescendantHit
    std::unique_ptr<Job> m_job;
    QTimer m_sliceTimer;
    std::uint64_t m_generation = 0;
    qint64 m_lastDurationMs = 0;
    qint64 m_lastLongestSliceMs = 0;
};

} // namespace procscope::ui
