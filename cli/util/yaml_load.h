// LoadAllYaml: YAML::LoadAll without its endless loop. yaml-cpp 0.7 (Debian
// 12's) never returns from LoadAll on a document that starts with a ','
// outside a flow collection (",", "---\n, a"): each turn yields a null
// document without consuming the token, growing memory until the process is
// killed. Found by tests/fuzz/values_fuzzer.cpp: any values file could hang
// the command. (Rendered templates and --patch files are read by libyaml,
// util/yaml_document.h; values files keep yaml-cpp's nodes for the line each
// value came from.)
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace llm {

/// Every document of `text`, as YAML::LoadAll returns them. Throws
/// YAML::ParserException (with the position) where the parser stops making
/// progress, and whatever LoadAll throws otherwise.
std::vector<YAML::Node> LoadAllYaml(const std::string& text);

}  // namespace llm
