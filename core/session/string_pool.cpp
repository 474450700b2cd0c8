// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/string_pool.h"

namespace procscope::session {

StringPool::StringPool()
{
    m_strings.emplace_back();
    m_index.emplace(std::string_view(m_strings.front()), 0);
}

StringId StringPool::intern(std::string_view text)
{
    if (const auto found = m_index.find(text); found != m_index.end())
        return found->second;
    const auto id = static_cast<StringId>(m_strings.size());
    const std::string& stored = m_strings.emplace_back(text);
    m_index.emplace(std::string_view(stored), id);
    m_bytes += stored.size();
    return id;
}

} // namespace procscope::session
