// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace procscope::session {

using StringId = std::uint32_t;

// Interns strings (comm, argv, exe, cwd) so events and processes hold 4-byte ids. Id 0 is the
// empty string. Strings are bytes: nothing here assumes UTF-8.
class StringPool {
public:
    StringPool();
    StringId intern(std::string_view text);
    std::string_view view(StringId id) const { return m_strings[id]; }
    std::size_t size() const { return m_strings.size(); }
    std::size_t bytes() const { return m_bytes; }

private:
    std::deque<std::string> m_strings; // a deque: growing it never moves the strings the index points at
    std::unordered_map<std::string_view, StringId> m_index;
    std::size_t m_bytes = 0;
};

} // namespace procscope::session
