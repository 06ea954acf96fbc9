// The fast path of ParseYamlDocuments (util/yaml_document.h). A rendered
// template is block-style YAML whose scalars each fit on their line; reading
// that by lines and indentation takes a third of the instructions libyaml's
// reader, scanner, token queue and events spend on the same text (`render
// serve`: 1.22 M -> 0.42 M, most of what is left building the Json; libyaml's
// parse was a third of the whole command). Whatever this reader is not sure
// of, it declines, and ParseYamlDocuments gives the text to libyaml: what it
// returns is what libyaml's parse returns, and every error still comes from
// libyaml.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "util/yaml_document.h"

namespace llm {

/// The documents of `text` as ParseYamlDocuments gives them, where `text` keeps
/// to printable ASCII and to block mappings and sequences (compact ones too),
/// one-line plain, single- and double-quoted scalars, `{}` and `[]`, comments
/// and `---` lines. nullopt for anything else (flow collections, block
/// scalars, anchors, tags, scalars over several lines, tabs, directives, text
/// over 1 MiB), for nesting deeper than 500 levels, and for every text
/// libyaml would refuse or that ParseYamlDocuments would (duplicate keys).
/// Plain scalars are typed as ParseYamlDocuments types them, or, kText, kept
/// as the strings they are written as (null where IsNullPlainScalar says, as
/// yaml-cpp reads them): what a reader that wants each scalar's text (the
/// kubeconfig's, read with yaml-cpp before) takes.
enum class PlainScalars { kTyped, kText };
std::optional<std::vector<Json>> ReadSimpleBlockYaml(std::string_view text,
                                                     PlainScalars plain_scalars = PlainScalars::kTyped);

}  // namespace llm
