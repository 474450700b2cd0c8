// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/text_encoding.h"

#include <cstdio>

namespace procscope::session {

std::size_t validUtf8Sequence(std::string_view bytes)
{
    if (bytes.empty())
        return 0;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code = lead & 0x07;
    } else {
        return 0;
    }
    if (bytes.size() < length)
        return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (byte(i) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not valid UTF-8.
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
        return 0;
    return length;
}

void appendJsonString(std::string& out, std::string_view bytes)
{
    out += '"';
    char escape[8];
    for (std::size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        const std::size_t valid = validUtf8Sequence(bytes.substr(i));
        if (valid == 0) {
            std::snprintf(escape, sizeof escape, "\\udc%02x", c);
            out += escape;
            ++i;
            continue;
        }
        if (valid == 1) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    std::snprintf(escape, sizeof escape, "\\u%04x", c);
                    out += escape;
                } else {
                    out += static_cast<char>(c);
                }
            }
        } else {
            out.append(bytes.substr(i, valid));
        }
        i += valid;
    }
    out += '"';
}

void appendCsvField(std::string& out, std::string_view bytes)
{
    std::string field;
    field.reserve(bytes.size());
    char escape[8];
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t valid = validUtf8Sequence(bytes.substr(i));
        if (valid == 0) {
            std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(bytes[i]));
            field += escape;
            ++i;
        } else if (bytes[i] == '\\') {
            field += "\\\\";
            ++i;
        } else {
            field.append(bytes.substr(i, valid));
            i += valid;
        }
    }
    // RFC 4180: quote a field holding a comma, a quote or a line break; double its quotes.
    if (field.find_first_of(",\"\r\n") == std::string::npos) {
        out += field;
        return;
    }
    out += '"';
    for (const char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

} // namespace procscope::session
