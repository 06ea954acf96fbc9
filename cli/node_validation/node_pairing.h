// --multi-node: pairing GPU nodes for two-node NCCL tests and finding the bad
// node of a failing pair by re-pairing its members with known-good nodes
// (the Cluster Health Scanner's method). A pure function of the results so
// far, so the command can run rounds as pods finish and resume after a crash.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace llm {

struct NodePair {
  std::string first;
  std::string second;
  bool operator==(const NodePair&) const = default;
};

struct PairResult {
  std::string first;
  std::string second;
  bool passed = false;
};

/// What the pair tests so far say about a node.
///  kUntested: in no pair test yet. kGood: passed with some partner.
///  kSuspect: failed, and no known-good partner has been tried yet.
///  kBad: failed together with a known-good node.
///  kInconclusive: failed, and no untried partner is left that could decide.
enum class PairConclusion { kUntested, kGood, kSuspect, kBad, kInconclusive };
std::string_view PairConclusionName(PairConclusion conclusion);

struct PairingPlan {
  std::vector<NodePair> next;  ///< the next round; each node in at most one pair
  std::map<std::string, PairConclusion> conclusions;
  bool finished = false;  ///< no pair left to run: every node is good, bad or inconclusive
};

/// Round rules, in order, each node used at most once per round:
///  1. each suspect (by name) with a known-good node it has not been tried with;
///  2. when no node is known good yet, suspects with each other (pairs not tried before);
///  3. untested nodes with each other, in order; an odd one out with a free
///     good node, else with any free node it has not been tried with.
/// When a round would be empty, suspects and untested nodes left are inconclusive.
/// `results` may name nodes that are not in `nodes` (taken out after an error):
/// they still decide their partners' conclusions but are never paired and are
/// absent from `conclusions`.
PairingPlan PlanNodePairs(const std::vector<std::string>& nodes, const std::vector<PairResult>& results);

}  // namespace llm
