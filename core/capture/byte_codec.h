// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Little-endian field writing and bounds-checked reading for capture records.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace procscope::capture {

template <typename T> constexpr T toLittleEndian(T value)
{
    static_assert(std::is_integral_v<T>);
    if constexpr (std::endian::native == std::endian::big && sizeof(T) > 1) {
        T swapped = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i)
            swapped = static_cast<T>((swapped << 8) | ((value >> (8 * i)) & 0xff));
        return swapped;
    }
    return value;
}

class ByteWriter
{
public:
    explicit ByteWriter(std::vector<std::byte>& out)
        : m_out(out)
    { }

    template <typename T> void put(T value)
    {
        const T le = toLittleEndian(value);
        const std::size_t at = m_out.size();
        m_out.resize(at + sizeof(T));
        std::memcpy(m_out.data() + at, &le, sizeof(T));
    }
    void putBytes(std::span<const std::byte> bytes)
    {
        m_out.insert(m_out.end(), bytes.begin(), bytes.end());
    }
    void putString(std::string_view text)
    {
        put(static_cast<std::uint32_t>(text.size()));
        putBytes(std::as_bytes(std::span(text.data(), text.size())));
    }

private:
    std::vector<std::byte>& m_out;
};

// Reads fields in order; the first read past the end sets failed() and returns zero values,
// so a decoder reads a whole record and checks once.
class ByteReader
{
public:
    explicit ByteReader(std::span<const std::byte> bytes)
        : m_bytes(bytes)
    { }

    template <typename T> T get()
    {
        if (!has(sizeof(T)))
            return T {};
        T value;
        std::memcpy(&value, m_bytes.data() + m_offset, sizeof(T));
        m_offset += sizeof(T);
        return toLittleEndian(value);
    }
    std::string getString()
    {
        const auto size = get<std::uint32_t>();
        if (!has(size))
            return {};
        std::string text(reinterpret_cast<const char*>(m_bytes.data() + m_offset), size);
        m_offset += size;
        return text;
    }
    // Into an existing string, reusing its capacity.
    void getString(std::string& into)
    {
        const auto size = get<std::uint32_t>();
        if (!has(size)) {
            into.clear();
            return;
        }
        into.assign(reinterpret_cast<const char*>(m_bytes.data() + m_offset), size);
        m_offset += size;
    }
    std::span<const std::byte> rest()
    {
        const auto tail = m_bytes.subspan(m_offset);
        m_offset = m_bytes.size();
        return tail;
    }
    void skip(std::size_t count)
    {
        if (has(count))
            m_offset += count;
    }
    bool has(std::size_t count)
    {
        if (m_failed || m_bytes.size() - m_offset < count) {
            m_failed = true;
            return false;
        }
        return true;
    }
    bool failed() const { return m_failed; }
    std::size_t remaining() const { return m_bytes.size() - m_offset; }

private:
    std::span<const std::byte> m_bytes;
    std::size_t m_offset = 0;
    bool m_failed = false;
};

} // namespace procscope::capture
