# SPDX-License-Identifier: GPL-3.0-or-later
# One place for the warning set, so every target is held to the same bar.
function(procscope_set_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
        -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        # GCC 12 reports std::variant copies as "maybe uninitialized" at -O2 (false positives);
        # the clang build and the sanitizer runs still catch real uninitialized reads.
        target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
    if(PROCSCOPE_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
