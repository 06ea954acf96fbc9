# llm_options: the compiler settings every target of ours links PRIVATE.
# Kept on an INTERFACE target so nothing edits the global CMAKE_CXX_FLAGS.
# Not -Wnull-dereference: at -O2 GCC 12 reports it inside inlined nlohmann,
# CLI11 and kainjow code (false positives in system headers it cannot silence).
add_library(llm_options INTERFACE)
target_compile_options(llm_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                            -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                            -Wimplicit-fallthrough>)
if(LLM_WARNINGS_AS_ERRORS)
  target_compile_options(llm_options INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
  # GCC 12 at -O3 reports -Wrestrict inside libstdc++'s operator+(const char*,
  # string&&) wherever `"sep" + text` is inlined (GCC PR 105651, fixed in 13):
  # a false positive that broke the Release build four times. It stays a
  # warning there, shown, not an error.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(llm_options INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Wno-error=restrict>)
  endif()
endif()
if(LLM_SANITIZE)
  target_compile_options(llm_options INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all>)
  target_link_options(llm_options INTERFACE -fsanitize=address,undefined)
endif()
if(LLM_FUZZ)
  # libFuzzer (clang only). Every object also carries the fuzzer's coverage
  # instrumentation (fuzzer-no-link), so one sanitized tree serves both the
  # fuzz targets (tests/fuzz links them with -fsanitize=fuzzer, libFuzzer's
  # main) and the unit and integration tests, which link without it.
  if(NOT LLM_SANITIZE OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LLM_FUZZ needs clang and LLM_SANITIZE=ON (the asan or fuzz preset)")
  endif()
  target_compile_options(llm_options INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=fuzzer-no-link>)
endif()
if(LLM_PORTABLE)
  # What a package ships maps less at each start: every function and object in
  # a section of its own, and the linker drops those nothing reaches (code 10.6
  # -> 7.5 MB; render serve 2.9 -> 2.6 ms in turns with kubectl, 249 -> 227
  # page faults: tests/bench/render_bench.sh).
  target_compile_options(llm_options INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-ffunction-sections -fdata-sections>)
  target_link_options(llm_options INTERFACE -Wl,--gc-sections)
endif()
