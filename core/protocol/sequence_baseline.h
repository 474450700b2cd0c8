// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace procscope::protocol {

// Forks and reaps one child on every CPU this process may run on, so that each CPU's
// connector sequence counter produces an event now. A SequenceTracker can only see loss after
// a CPU's first event, and loss at the end of a burst only when that CPU's next event comes:
// calling this at the start and at the end of a capture makes both visible.
void forkOnEveryCpu();

} // namespace procscope::protocol
