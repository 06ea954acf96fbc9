// FakeFileSystem: files in memory, stamped with a FakeClock's time when written.
#pragma once

#include <map>
#include <string>

#include "util/clock.h"
#include "util/file_system.h"

namespace llm::testing {

class FakeFileSystem : public FileSystem {
 public:
  explicit FakeFileSystem(const Clock& clock) : clock_(clock) {}

  Result<std::string> ReadFile(const std::string& path) const override {
    auto it = files_.find(path);
    if (it == files_.end()) return Error(ErrorKind::kNotFound, path + ": no such file");
    return it->second.content;
  }
  Status WriteFile(const std::string& path, std::string_view content) override {
    files_[path] = File{std::string(content), clock_.Now()};
    ++writes_;
    return Ok();
  }
  Result<std::chrono::system_clock::time_point> ModifiedTime(const std::string& path) const override {
    auto it = files_.find(path);
    if (it == files_.end()) return Error(ErrorKind::kNotFound, path + ": no such file");
    return it->second.modified;
  }

  bool Exists(const std::string& path) const { return files_.count(path) != 0; }
  int writes() const { return writes_; }

 private:
  struct File {
    std::string content;
    std::chrono::system_clock::time_point modified;
  };
  const Clock& clock_;
  std::map<std::string, File> files_;
  int writes_ = 0;
};

}  // namespace llm::testing
