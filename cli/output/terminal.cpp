#include "output/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

namespace llm {

bool IsTerminalFd(int fd, std::string_view term) { return isatty(fd) == 1 && term != "dumb"; }

size_t TerminalColumns(int fd) {
  winsize size{};
  if (ioctl(fd, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

}  // namespace llm
