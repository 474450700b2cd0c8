// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace procscope::session {

// An array indexed by process or row that grows a page at a time, zeroed, as indexes come:
// growing never copies what is there, and no single step of a sliced computation has to
// allocate and clear the whole range at once (millions of processes: tens of milliseconds).
template <typename T>
class PagedArray {
public:
    static constexpr std::size_t kPageBits = 16;
    static constexpr std::size_t kPageSize = std::size_t(1) << kPageBits;

    // T{} for an index never written.
    T get(std::size_t index) const
    {
        const std::size_t page = index >> kPageBits;
        return page < m_pages.size() && m_pages[page] ? m_pages[page][index & (kPageSize - 1)] : T {};
    }
    T& at(std::size_t index)
    {
        const std::size_t page = index >> kPageBits;
        if (page >= m_pages.size())
            m_pages.resize(page + 1);
        if (!m_pages[page])
            m_pages[page] = std::make_unique<T[]>(kPageSize);
        return m_pages[page][index & (kPageSize - 1)];
    }
    void clear() { m_pages.clear(); }

private:
    std::vector<std::unique_ptr<T[]>> m_pages;
};

} // namespace procscope::session
