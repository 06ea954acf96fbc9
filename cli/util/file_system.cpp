#include "util/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace llm {
namespace fs = std::filesystem;

Result<std::string> DiskFileSystem::ReadFile(const std::string& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ErrorKind kind = errno == ENOENT ? ErrorKind::kNotFound : ErrorKind::kInvalidInput;
    return Error(kind, "cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

namespace {

/// mkdir -p with mode 0700 for each directory it creates.
Status CreateOwnerOnlyDirectories(const fs::path& dir) {
  fs::path partial;
  for (const fs::path& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return Error(ErrorKind::kInternal, "cannot create " + partial.string() + ": " + std::strerror(errno));
    }
  }
  return Ok();
}

}  // namespace

Status DiskFileSystem::WriteFile(const std::string& path, std::string_view content) {
  fs::path target(path);
  if (target.has_parent_path()) LLM_RETURN_IF_ERROR(CreateOwnerOnlyDirectories(target.parent_path()));
  // A per-process temporary name keeps two concurrent writers from sharing
  // one; it is created 0600, so the content is never readable by others.
  fs::path temporary = target;
  temporary += ".tmp" + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Error(ErrorKind::kInternal, "cannot write " + temporary.string() + ": " + std::strerror(errno));
  bool written = ::fchmod(fd, 0600) == 0;  // a leftover temporary may have had another mode
  for (std::string_view rest = content; written && !rest.empty();) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) rest.remove_prefix(static_cast<size_t>(n));
  }
  written = ::close(fd) == 0 && written;
  std::error_code ec;
  if (!written) {
    fs::remove(temporary, ec);
    return Error(ErrorKind::kInternal, "cannot write " + temporary.string());
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return Error(ErrorKind::kInternal, "cannot replace " + path);
  }
  return Ok();
}

Result<std::chrono::system_clock::time_point> DiskFileSystem::ModifiedTime(const std::string& path) const {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    ErrorKind kind = errno == ENOENT ? ErrorKind::kNotFound : ErrorKind::kInvalidInput;
    return Error(kind, "cannot stat " + path + ": " + std::strerror(errno));
  }
  auto since_epoch = std::chrono::seconds(info.st_mtim.tv_sec) + std::chrono::nanoseconds(info.st_mtim.tv_nsec);
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
}

}  // namespace llm
