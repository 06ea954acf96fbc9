# Cross-compiles kubectl-llm for linux/arm64 on an amd64 machine (the
# release-arm64 preset): clang for the aarch64-linux-gnu target, binutils'
# aarch64 linker, and a Debian 12 arm64 root as the sysroot, which holds the
# C library, GCC's runtime and libstdc++, and the -dev packages the build
# finds (scripts/debian-root.sh arm64 makes it; scripts/test.sh names the
# packages). Programs the build runs (the man page writer) run under qemu-user.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(LLM_ARM64_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build/arm64-root" CACHE PATH "The Debian arm64 root to build against")
set(CMAKE_SYSROOT "${LLM_ARM64_SYSROOT}")
set(CMAKE_C_COMPILER clang-16)
set(CMAKE_CXX_COMPILER clang++-16)
set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_CXX_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH "${LLM_ARM64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static -L "${LLM_ARM64_SYSROOT}")
