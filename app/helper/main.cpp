// SPDX-License-Identifier: GPL-3.0-or-later
// procscope-helper: the only privileged part of Procscope. See core/helper.

#include "helper/helper_main.h"

int main(int argc, char** argv)
{
    return procscope::helper::helperMain(argc, argv, PROCSCOPE_VERSION);
}
