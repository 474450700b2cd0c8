// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "datagram_builder.h"
#include "message_dump.h"
#include "protocol/parser.h"

#include <QByteArray>
#include <QStringList>

namespace procscope::testing {

inline QByteArray toQByteArray(const Bytes& bytes)
{
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

inline std::span<const std::byte> asBytes(const QByteArray& bytes)
{
    return { reinterpret_cast<const std::byte*>(bytes.constData()), static_cast<std::size_t>(bytes.size()) };
}

// Parses a datagram and dumps every result, for comparing against a table row.
inline QStringList parseToText(const QByteArray& datagram, std::uint32_t senderPid = 0)
{
    QStringList lines;
    for (const auto& message : protocol::parseDatagram(asBytes(datagram), senderPid))
        lines << QString::fromStdString(dumpMessage(message));
    return lines;
}

} // namespace procscope::testing
