// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstring>
#include <span>
#include <type_traits>

namespace procscope::protocol {

// Reads a trivially copyable value at an arbitrary offset. The kernel's proc_event starts at
// datagram offset 36, so its u64 timestamp is misaligned: never cast a struct onto the buffer.
// Callers check bounds first; reading host byte order is right because netlink is host-endian.
template <typename T>
inline T readAt(std::span<const std::byte> bytes, std::size_t offset)
{
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

template <typename T>
inline void writeAt(std::span<std::byte> bytes, std::size_t offset, T value)
{
    static_assert(std::is_trivially_copyable_v<T>);
    std::memcpy(bytes.data() + offset, &value, sizeof(T));
}

} // namespace procscope::protocol
