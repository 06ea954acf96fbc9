#include "output/terminal.h"

#include <unistd.h>

namespace llm {

bool IsTerminalFd(int fd, std::string_view term) { return isatty(fd) == 1 && term != "dumb"; }

}  // namespace llm
