// SPDX-License-Identifier: GPL-3.0-or-later
// procscope: the desktop application's executable. For now it has only its headless modes,
// which need no display.

#include "session/headless.h"

#include <iostream>

int main(int argc, char** argv)
{
    if (const auto status = procscope::session::runHeadless(argc, argv, std::cout, std::cerr))
        return *status;
    std::cerr << "procscope: this build has no window yet; use --summary FILE or --export OUT FILE\n";
    return 2;
}
