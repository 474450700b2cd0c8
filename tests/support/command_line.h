// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <string>
#include <vector>

namespace procscope::testing {

// argc/argv for calling a command-line parser in-process, as `program args...`.
class CommandLine {
public:
    CommandLine(const char* program, const QStringList& args)
    {
        m_storage.emplace_back(program);
        for (const QString& arg : args)
            m_storage.push_back(arg.toStdString());
        for (const auto& s : m_storage)
            m_argv.push_back(s.c_str());
    }
    int argc() const { return int(m_argv.size()); }
    const char* const* argv() const { return m_argv.data(); }

private:
    std::vector<std::string> m_storage;
    std::vector<const char*> m_argv;
};

} // namespace procscope::testing
