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
endif()
if(LLM_SANITIZE)
  target_compile_options(llm_options INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all>)
  target_link_options(llm_options INTERFACE -fsanitize=address,undefined)
endif()
