// -o/--output and --dry-run, registered one way on every command, as kubectl's
// PrintFlags and dry-run flag are: the help lists what this command accepts,
// read from the same array that parses the value (ParseOutputFormat,
// kube::ParseDryRun), so help and errors cannot drift apart.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "kube/dry_run.h"
#include "output/output_format.h"
#include "util/cli11_forward.h"

namespace llm {

/// -o,--output NAME: "Output format: wide, json, ..., custom-columns-file=FILE (default: <when_empty>)",
/// the names AcceptedOutputNames lists.
void AddOutputFlag(CLI::App* cmd, std::string& target, std::span<const OutputFormat> accepted,
                   std::string_view when_empty = "a table");

/// --dry-run: "none (default), client or server: <meaning>".
void AddDryRunFlag(CLI::App* cmd, std::string& target, std::span<const kube::DryRun> accepted,
                   std::string_view meaning);

}  // namespace llm
