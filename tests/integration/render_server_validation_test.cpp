// Every golden manifest of `render` is accepted by the real API server (with the
// LWS, JobSet, KEDA and Kueue CRDs installed) under strict field validation:
// `kubectl apply --server-side --dry-run=server --validate=strict`, no error and
// not a single warning (unknown or duplicate fields would be warnings or errors).
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultNamespace = "render-golden";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The namespace the file's objects name (every golden file uses at most one).
std::set<std::string> Namespaces(const std::string& text) {
  static const std::regex kNamespace(R"re((?:\n  namespace: |"namespace": ")([a-z0-9-]+))re");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kNamespace); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

TEST_CASE("every golden render manifest passes server-side dry-run with strict validation") {
  const TestCluster& cluster = TestCluster::Get();
  const fs::path dir = fs::path(LLM_TESTDATA_DIR) / "golden" / "render";
  REQUIRE(fs::exists(dir));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);

  std::set<std::string> namespaces = {kDefaultNamespace};
  for (const fs::path& file : files) {
    for (const std::string& ns : Namespaces(ReadFile(file))) namespaces.insert(ns);
  }
  for (const std::string& ns : namespaces) {
    // Dry-run still goes through admission, which needs the namespace to exist.
    CommandOutput r = cluster.CreateNamespace(ns);
    CHECK_MESSAGE((r.exit_code == 0 || r.err.find("AlreadyExists") != std::string::npos), r.err);
  }

  for (const fs::path& file : files) {
    CAPTURE(file.filename().string());
    const std::set<std::string> ns = Namespaces(ReadFile(file));
    REQUIRE(ns.size() <= 1);
    std::vector<std::string> args = {
        "apply", "--server-side", "--field-manager=kubectl-llm", "--dry-run=server", "--validate=strict",
        "-f",    file.string()};
    if (ns.empty()) args.insert(args.end(), {"-n", kDefaultNamespace});
    CommandOutput r = cluster.Kubectl("admin", args);
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK_MESSAGE(r.err.empty(), r.err);
    CHECK(r.out.find("(server dry run)") != std::string::npos);
  }
  // The namespaces stay: a dry run creates nothing in them, and deleting them
  // would leave them Terminating for a rerun against the same cluster.
}

}  // namespace
}  // namespace llm::testing
