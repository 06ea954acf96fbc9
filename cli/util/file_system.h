// FileSystem: the few file operations caches need, behind an interface so unit
// tests run against memory (tests/fakes/fake_file_system.h).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "util/result.h"

namespace llm {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// The whole file; an Error of kind kNotFound when it does not exist.
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  /// Creates missing parent directories and replaces the file atomically
  /// (write to a temporary sibling, then rename), so readers never see half a file.
  virtual Status WriteFile(const std::string& path, std::string_view content) = 0;
  virtual Result<std::chrono::system_clock::time_point> ModifiedTime(const std::string& path) const = 0;
};

/// The real disk. Everything it creates is owner-only (directories 0700,
/// files 0600, whatever the umask): caches under the home directory describe
/// the user's clusters, and other users of the machine have no business there.
/// Directories that already exist keep their modes.
class DiskFileSystem final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  Status WriteFile(const std::string& path, std::string_view content) override;
  Result<std::chrono::system_clock::time_point> ModifiedTime(const std::string& path) const override;
};

}  // namespace llm
