// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "document/workspace.h"

#include <QFuture>
#include <QTest>

// Waits (with the event loop running, as the window's would) for a save or an export to finish;
// true when it succeeded.
inline bool finishedOk(QFuture<procscope::ui::WorkResult> future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 60000))
        return false;
    return future.result().ok;
}
