#include "util/file_system.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <doctest/doctest.h>

namespace llm {
namespace {

namespace fs = std::filesystem;

unsigned Mode(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

TEST_CASE("DiskFileSystem creates owner-only directories and files, whatever the umask") {
  const fs::path root = fs::temp_directory_path() / ("llm-file-modes-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  const mode_t old_umask = ::umask(0);  // the most permissive umask: modes must still be owner-only
  DiskFileSystem files;
  Status written = files.WriteFile((root / "cache/discovery/host/servergroups.json").string(), "{}");
  ::umask(old_umask);
  REQUIRE(written.ok());
  CHECK(Mode(root) == 0755);  // already there: left alone
  CHECK(Mode(root / "cache") == 0700);
  CHECK(Mode(root / "cache/discovery") == 0700);
  CHECK(Mode(root / "cache/discovery/host") == 0700);
  CHECK(Mode(root / "cache/discovery/host/servergroups.json") == 0600);
  auto read = files.ReadFile((root / "cache/discovery/host/servergroups.json").string());
  REQUIRE(read.ok());
  CHECK(*read == "{}");
  // Replacing keeps it owner-only, and leaves no temporary behind.
  REQUIRE(files.WriteFile((root / "cache/discovery/host/servergroups.json").string(), "{\"a\":1}").ok());
  CHECK(Mode(root / "cache/discovery/host/servergroups.json") == 0600);
  CHECK(std::distance(fs::directory_iterator(root / "cache/discovery/host"), fs::directory_iterator()) == 1);
  fs::remove_all(root);
}

}  // namespace
}  // namespace llm
