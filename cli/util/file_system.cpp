#include "util/file_system.h"

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

Status DiskFileSystem::WriteFile(const std::string& path, std::string_view content) {
  fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) return Error(ErrorKind::kInternal, "cannot create " + target.parent_path().string() + ": " + ec.message());
    fs::permissions(target.parent_path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec,
                    fs::perm_options::replace, ec);
  }
  // A per-process temporary name keeps two concurrent writers from sharing one.
  fs::path temporary = target;
  temporary += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return Error(ErrorKind::kInternal, "cannot write " + temporary.string() + ": " + std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) return Error(ErrorKind::kInternal, "cannot write " + temporary.string());
  }
  fs::permissions(temporary,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::group_write,
                  fs::perm_options::replace, ec);
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
