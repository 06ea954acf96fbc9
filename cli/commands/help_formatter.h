// --help as a kubectl user reads it: CLI11's formatter, except that
// - an option's option_text is printed as given, right after its name (" N",
//   " KEY=VALUE", or "[=MAX_AGE]" with no space), where CLI11 adds a space;
// - a flag with an optional value, declared to CLI11 as "--name{}" so that it
//   never takes the next word (`--require-validated`, `--require-validated=24h`),
//   shows as "--name" and its option_text, not "--name{}";
// - an option without option_text shows what its value is (FILE, DURATION,
//   SELECTOR...; N for a number), never CLI11's TEXT, nor " ..." for an option
//   that repeats with one value each time; a positional shows its name alone.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace llm {

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* opt) const override;
  /// CLI11's usage line without the hidden one-word positionals of a trailing
  /// command (each printed as "[]"): "NAME [-- COMMAND...]".
  std::string make_usage(const CLI::App* app, std::string name) const override;
};

}  // namespace llm
