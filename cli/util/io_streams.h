// IoStreams: where a command reads and writes. Commands never touch std::cout
// directly, so tests hand them string streams (kubectl's genericiooptions).
#pragma once

#include <iostream>

namespace llm {

struct IoStreams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;

  static IoStreams Std() { return IoStreams{std::cin, std::cout, std::cerr}; }
};

}  // namespace llm
