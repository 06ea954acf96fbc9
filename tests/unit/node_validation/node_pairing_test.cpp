#include "node_validation/node_pairing.h"

#include <set>

#include <doctest/doctest.h>

namespace llm {
namespace {

using C = PairConclusion;

std::map<std::string, std::string> Conclusions(const PairingPlan& plan) {
  std::map<std::string, std::string> out;
  for (const auto& [node, c] : plan.conclusions) out[node] = std::string(PairConclusionName(c));
  return out;
}

}  // namespace

TEST_CASE("PlanNodePairs: first round pairs nodes in name order, an odd one waits") {
  const PairingPlan plan = PlanNodePairs({"n4", "n1", "n3", "n2", "n5"}, {});
  CHECK(plan.next == std::vector<NodePair>{{"n1", "n2"}, {"n3", "n4"}});
  CHECK_FALSE(plan.finished);
  CHECK(plan.conclusions.at("n5") == C::kUntested);
}

TEST_CASE("PlanNodePairs: a failing pair is split and each member re-paired with a known-good node") {
  const std::vector<std::string> nodes = {"n1", "n2", "n3", "n4", "n5", "n6"};
  std::vector<PairResult> results = {{"n1", "n2", true}, {"n3", "n4", false}, {"n5", "n6", true}};
  PairingPlan plan = PlanNodePairs(nodes, results);
  CHECK(plan.next == std::vector<NodePair>{{"n3", "n1"}, {"n4", "n2"}});
  CHECK(Conclusions(plan) ==
        std::map<std::string, std::string>{
            {"n1", "good"}, {"n2", "good"}, {"n3", "suspect"}, {"n4", "suspect"}, {"n5", "good"}, {"n6", "good"}});
  // n3 passes with a good node, n4 fails with one: n4 is the bad node.
  results.push_back({"n3", "n1", true});
  results.push_back({"n4", "n2", false});
  plan = PlanNodePairs(nodes, results);
  CHECK(plan.next.empty());
  CHECK(plan.finished);
  CHECK(plan.conclusions.at("n3") == C::kGood);
  CHECK(plan.conclusions.at("n4") == C::kBad);
}

TEST_CASE("PlanNodePairs: the odd node is paired with a good node in the next round") {
  std::vector<PairResult> results = {{"n1", "n2", true}};
  PairingPlan plan = PlanNodePairs({"n1", "n2", "n3"}, results);
  CHECK(plan.next == std::vector<NodePair>{{"n3", "n1"}});
  results.push_back({"n3", "n1", true});
  plan = PlanNodePairs({"n1", "n2", "n3"}, results);
  CHECK(plan.finished);
  CHECK(plan.conclusions.at("n3") == C::kGood);
}

TEST_CASE("PlanNodePairs: with no good node yet, suspects meet new partners, a lone node is inconclusive") {
  const std::vector<std::string> nodes = {"n1", "n2", "n3", "n4"};
  std::vector<PairResult> results = {{"n1", "n2", false}, {"n3", "n4", false}};
  PairingPlan plan = PlanNodePairs(nodes, results);
  CHECK(plan.next == std::vector<NodePair>{{"n1", "n3"}, {"n2", "n4"}});
  results.push_back({"n1", "n3", true});  // n1, n3 good: n2 and n4 failed with good partners
  results.push_back({"n2", "n4", false});
  plan = PlanNodePairs(nodes, results);
  CHECK(plan.finished);
  CHECK(Conclusions(plan) ==
        std::map<std::string, std::string>{{"n1", "good"}, {"n2", "bad"}, {"n3", "good"}, {"n4", "bad"}});

  plan = PlanNodePairs({"only"}, {});
  CHECK(plan.finished);
  CHECK(plan.conclusions.at("only") == C::kInconclusive);

  // Two nodes that fail together, with no one else to ask.
  plan = PlanNodePairs({"a", "b"}, {{"a", "b", false}});
  CHECK(plan.finished);
  CHECK(Conclusions(plan) == std::map<std::string, std::string>{{"a", "inconclusive"}, {"b", "inconclusive"}});
}

TEST_CASE("PlanNodePairs: repeated rounds always end, each node in at most one pair per round") {
  // Every pair with the node "bad" fails; all others pass.
  std::vector<std::string> nodes;
  for (int i = 0; i < 9; ++i) nodes.push_back("n" + std::to_string(i));
  std::vector<PairResult> results;
  PairingPlan plan = PlanNodePairs(nodes, results);
  int rounds = 0;
  while (!plan.finished) {
    REQUIRE(++rounds < 20);
    std::set<std::string> used;
    for (const NodePair& p : plan.next) {
      CHECK(used.insert(p.first).second);
      CHECK(used.insert(p.second).second);
      results.push_back({p.first, p.second, p.first != "n4" && p.second != "n4"});
    }
    plan = PlanNodePairs(nodes, results);
  }
  for (const auto& [node, c] : plan.conclusions) {
    INFO(node);
    CHECK(c == (node == "n4" ? C::kBad : C::kGood));
  }
}

TEST_CASE("PlanNodePairs: a node taken out still decides its partners but is neither paired nor reported") {
  // n4 passed with n3, then left (its later pair ended in an error).
  const std::vector<PairResult> results = {{"n1", "n2", false}, {"n3", "n4", true}};
  const PairingPlan plan = PlanNodePairs({"n1", "n2", "n3"}, results);
  CHECK(plan.next == std::vector<NodePair>{{"n1", "n3"}});
  CHECK_FALSE(plan.conclusions.contains("n4"));
  CHECK(plan.conclusions.at("n3") == C::kGood);
}

}  // namespace llm
