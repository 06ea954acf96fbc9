#include "commands/diff_program.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "workload/object_diff.h"

namespace llm {
namespace {

/// A directory made for one side, removed with everything in it at the end.
class SideDirectory {
 public:
  SideDirectory(const SideDirectory&) = delete;
  SideDirectory& operator=(const SideDirectory&) = delete;
  ~SideDirectory() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  /// $TMPDIR/<label>-XXXXXX, as Go's os.MkdirTemp("", "<label>-") names it; owner-only.
  static Result<std::unique_ptr<SideDirectory>> Make(std::string_view label) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = fmt::format("{}/{}-XXXXXX", tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", label);
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Error(ErrorKind::kInternal,
                   fmt::format("making a directory for the diff ({}): {}", pattern, std::strerror(errno)));
    }
    return std::unique_ptr<SideDirectory>(new SideDirectory(pattern));
  }

  Status Write(const std::string& name, const std::string& text) const {
    const std::string path = path_ + "/" + name;
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.good()) return Error(ErrorKind::kInternal, "writing " + path + " for the diff");
    ::chmod(path.c_str(), 0600);  // the YAML may hold more than the user means to share (Secrets are masked)
    return Ok();
  }
  const std::string& path() const { return path_; }

 private:
  explicit SideDirectory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Result<bool> RunExternalDiff(kube::ProcessSpec program,
                             const std::vector<std::pair<nlohmann::json, nlohmann::json>>& pairs,
                             std::string_view from_dir, std::string_view to_dir, bool show_managed_fields,
                             std::ostream& out, kube::ProcessRunner& runner) {
  LLM_ASSIGN_OR_RETURN(std::unique_ptr<SideDirectory> from, SideDirectory::Make(from_dir));
  LLM_ASSIGN_OR_RETURN(std::unique_ptr<SideDirectory> to, SideDirectory::Make(to_dir));
  for (const auto& [a, b] : pairs) {
    const DiffFiles files = PrepareDiffFiles(a, b, show_managed_fields);
    // An absent side has no file, as kubectl writes none.
    if (!a.is_null()) LLM_RETURN_IF_ERROR(from->Write(files.name, files.from));
    if (!b.is_null()) LLM_RETURN_IF_ERROR(to->Write(files.name, files.to));
  }
  // kubectl's order: the two directories, then the flags from KUBECTL_EXTERNAL_DIFF.
  program.args.insert(program.args.begin(), {from->path(), to->path()});
  auto ran = runner.Run(program);
  if (!ran.ok()) return ran.error().WithContext("KUBECTL_EXTERNAL_DIFF");
  out << ran->stdout_data;
  if (ran->exit_code > 1) {
    return Error(ErrorKind::kServer,
                 fmt::format("KUBECTL_EXTERNAL_DIFF: {} exited with status {}", program.command, ran->exit_code));
  }
  return ran->exit_code == 1;
}

}  // namespace

std::optional<kube::ProcessSpec> ExternalDiffProgram(const std::optional<std::string>& value) {
  if (!value || value->empty()) return std::nullopt;
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= value->size()) {
    const size_t space = value->find(' ', start);
    words.push_back(value->substr(start, space == std::string::npos ? std::string::npos : space - start));
    if (space == std::string::npos) break;
    start = space + 1;
  }
  kube::ProcessSpec program;
  program.command = words.front();
  if (program.command.empty()) return std::nullopt;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    const bool valid = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '=';
    });
    if (valid) program.args.push_back(word);
  }
  return program;
}

Result<bool> ShowObjectDiffs(const std::vector<std::pair<nlohmann::json, nlohmann::json>>& pairs,
                             std::string_view from_dir, std::string_view to_dir, bool show_managed_fields,
                             std::ostream& out, const Getenv& getenv, kube::ProcessRunner* runner) {
  if (std::optional<kube::ProcessSpec> program = ExternalDiffProgram(getenv("KUBECTL_EXTERNAL_DIFF"))) {
    kube::PosixProcessRunner posix;
    return RunExternalDiff(std::move(*program), pairs, from_dir, to_dir, show_managed_fields, out,
                           runner != nullptr ? *runner : posix);
  }
  bool differences = false;
  for (const auto& [a, b] : pairs) {
    const std::string text = DiffObjectAs(a, b, from_dir, to_dir, show_managed_fields);
    if (text.empty()) continue;
    differences = true;
    out << text;
  }
  return differences;
}

}  // namespace llm
