// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// How bytes from the kernel and /proc (not necessarily UTF-8) are written into text exports,
// reversibly:
// - JSON: valid UTF-8 is kept; each byte that is not part of valid UTF-8 becomes the escape
//   \udcXX (XX = the byte), the "surrogateescape" convention: no valid text contains a lone
//   low surrogate, so a reader maps U+DC80..U+DCFF back to bytes 0x80..0xFF (Python:
//   s.encode("utf-8", "surrogateescape")). Control characters use JSON's own escapes.
// - CSV: valid UTF-8 is kept; a byte that is not part of valid UTF-8 becomes \xXX and a
//   backslash becomes \\, so replacing \xXX by the byte and \\ by \ restores the original.

#include <string>
#include <string_view>

namespace procscope::session {

void appendJsonString(std::string& out, std::string_view bytes);
void appendCsvField(std::string& out, std::string_view bytes);

// Length of the valid UTF-8 sequence at the start of `bytes`, or 0 when it is not one.
std::size_t validUtf8Sequence(std::string_view bytes);

} // namespace procscope::session
