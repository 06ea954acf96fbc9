# llm_embed_templates(<out_var>): generates embedded_templates.cpp, which holds
# every templates/**/*.mustache file as bytes (EmbeddedTemplates() in
# render/template_source.h), and sets <out_var> to its path. Rebuilt when a
# template changes; a new template is picked up through CONFIGURE_DEPENDS.
function(llm_embed_templates out_var)
  set(dir ${PROJECT_SOURCE_DIR}/templates)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS ${dir}/*.mustache)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_templates.cpp)
  set(script ${PROJECT_SOURCE_DIR}/cmake/GenerateEmbeddedTemplates.cmake)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DTEMPLATES_DIR=${dir} -DOUT=${out} -P ${script}
    DEPENDS ${files} ${script}
    COMMENT "Embedding templates/ into the binary"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
