#include "workload/unified_diff.h"

#include <random>
#include <sstream>

#include <doctest/doctest.h>

namespace llm {
namespace {

std::string Lines(int from, int to, int replaced_a = 0, int replaced_b = 0) {
  std::string text;
  for (int i = from; i <= to; ++i)
    text += (i == replaced_a || i == replaced_b) ? "X\n" : "l" + std::to_string(i) + "\n";
  return text;
}

// Every expected text below is what GNU diffutils' `diff -u --label A --label B` prints.
TEST_CASE("UnifiedDiff matches GNU diff -u") {
  struct Case {
    const char* name;
    std::string from, to, want;
  };
  const Case cases[] = {
      {"two changes in a manifest share a hunk",
       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\n  namespace: default\nspec:\n  replicas: 1\n"
       "  selector:\n    matchLabels:\n      app.kubernetes.io/instance: chat\n  template:\n    spec:\n      "
       "containers:\n"
       "      - image: vllm/vllm-openai:v0.10.1\n        name: vllm\n",
       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chat\n  namespace: default\nspec:\n  replicas: 2\n"
       "  selector:\n    matchLabels:\n      app.kubernetes.io/instance: chat\n  template:\n    spec:\n      "
       "containers:\n"
       "      - image: vllm/vllm-openai:v0.10.2\n        name: vllm\n",
       "--- A\n+++ B\n@@ -4,12 +4,12 @@\n   name: chat\n   namespace: default\n spec:\n-  replicas: 1\n+  replicas: 2\n"
       "   selector:\n     matchLabels:\n       app.kubernetes.io/instance: chat\n   template:\n     spec:\n"
       "       containers:\n-      - image: vllm/vllm-openai:v0.10.1\n+      - image: vllm/vllm-openai:v0.10.2\n"
       "         name: vllm\n"},
      {"distant changes get their own hunks", Lines(1, 20), Lines(1, 20, 2, 18),
       "--- A\n+++ B\n@@ -1,5 +1,5 @@\n l1\n-l2\n+X\n l3\n l4\n l5\n@@ -15,6 +15,6 @@\n l15\n l16\n l17\n-l18\n+X\n"
       " l19\n l20\n"},
      {"a gap of six equal lines is bridged", Lines(1, 20), Lines(1, 20, 5, 12),
       "--- A\n+++ B\n@@ -2,14 +2,14 @@\n l2\n l3\n l4\n-l5\n+X\n l6\n l7\n l8\n l9\n l10\n l11\n-l12\n+X\n l13\n l14\n"
       " l15\n"},
      {"a new file (-N)", "", "a\nb\n", "--- A\n+++ B\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
      {"a removed file", "a\nb\n", "", "--- A\n+++ B\n@@ -1,2 +0,0 @@\n-a\n-b\n"},
      {"a last line without newline", "a\nb\nc", "a\nb\nc\n",
       "--- A\n+++ B\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+c\n"},
      {"one line inserted in the middle", "a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nNEW\ne\nf\ng\nh\n",
       "--- A\n+++ B\n@@ -2,6 +2,7 @@\n b\n c\n d\n+NEW\n e\n f\n g\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(UnifiedDiff(c.from, c.to, "A", "B") == c.want);
  }
}

TEST_CASE("equal texts have no diff, and context is adjustable") {
  CHECK(UnifiedDiff("a\nb\n", "a\nb\n", "A", "B").empty());
  CHECK(UnifiedDiff("a\nb\nc\n", "a\nX\nc\n", "A", "B", 0) == "--- A\n+++ B\n@@ -2 +2 @@\n-b\n+X\n");
}

// With context larger than the texts there is one hunk holding both texts:
// its ' ' and '-' lines rebuild `from`, its ' ' and '+' lines rebuild `to`.
TEST_CASE("the single full-context hunk rebuilds both texts (seeded random texts)") {
  std::mt19937 rng(20261128);
  const char* words[] = {"a", "b", "c", "d", "e"};
  for (int round = 0; round < 300; ++round) {
    std::string from, to;
    int n = static_cast<int>(rng() % 30), m = static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) from += std::string(words[rng() % 5]) + "\n";
    for (int i = 0; i < m; ++i) to += std::string(words[rng() % 5]) + "\n";
    std::string diff = UnifiedDiff(from, to, "A", "B", 1000);
    if (from == to) {
      CHECK(diff.empty());
      continue;
    }
    std::istringstream lines(diff);
    std::string line, rebuilt_from, rebuilt_to;
    int hunks = 0;
    while (std::getline(lines, line)) {
      if (line.starts_with("---") || line.starts_with("+++")) continue;
      if (line.starts_with("@@")) {
        ++hunks;
        continue;
      }
      if (line[0] != '+') rebuilt_from += line.substr(1) + "\n";
      if (line[0] != '-') rebuilt_to += line.substr(1) + "\n";
    }
    CAPTURE(from);
    CAPTURE(to);
    CHECK(hunks == 1);
    CHECK(rebuilt_from == from);
    CHECK(rebuilt_to == to);
  }
}

}  // namespace
}  // namespace llm
