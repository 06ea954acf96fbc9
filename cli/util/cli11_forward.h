// CLI11's types for headers that only name them. CLI/CLI.hpp defines eight
// validators (CLI::ExistingFile, CLI::Range, ...) as namespace-scope objects,
// built and destroyed in every translation unit that includes it, on every
// run of the program: only the files that declare flags include it.
#pragma once

namespace CLI {
class App;
class Option;
}  // namespace CLI
