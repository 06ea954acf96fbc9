#include "node_validation/node_pairing.h"

#include <algorithm>
#include <set>

namespace llm {

std::string_view PairConclusionName(PairConclusion conclusion) {
  switch (conclusion) {
    case PairConclusion::kUntested:
      return "untested";
    case PairConclusion::kGood:
      return "good";
    case PairConclusion::kSuspect:
      return "suspect";
    case PairConclusion::kBad:
      return "bad";
    case PairConclusion::kInconclusive:
      return "inconclusive";
  }
  return "untested";
}

PairingPlan PlanNodePairs(const std::vector<std::string>& input_nodes, const std::vector<PairResult>& results) {
  std::vector<std::string> nodes = input_nodes;
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());

  PairingPlan plan;
  std::map<std::string, std::set<std::string>> tried;
  for (const std::string& n : nodes) plan.conclusions[n] = PairConclusion::kUntested;
  auto& c = plan.conclusions;
  // Good first: a pass clears both members whatever else happened.
  for (const PairResult& r : results) {
    tried[r.first].insert(r.second);
    tried[r.second].insert(r.first);
    if (r.passed) {
      c[r.first] = PairConclusion::kGood;
      c[r.second] = PairConclusion::kGood;
    }
  }
  for (const PairResult& r : results) {
    if (r.passed) continue;
    for (const auto& [member, partner] : {std::pair{r.first, r.second}, std::pair{r.second, r.first}}) {
      if (c[member] == PairConclusion::kGood || c[member] == PairConclusion::kBad) continue;
      c[member] = c[partner] == PairConclusion::kGood ? PairConclusion::kBad : PairConclusion::kSuspect;
    }
  }

  std::set<std::string> busy;
  auto free = [&](const std::string& n) { return !busy.contains(n); };
  auto untried = [&](const std::string& a, const std::string& b) { return a != b && !tried[a].contains(b); };
  auto pair = [&](const std::string& a, const std::string& b) {
    plan.next.push_back({a, b});
    busy.insert(a);
    busy.insert(b);
  };
  auto with = [&](PairConclusion want) {
    std::vector<std::string> out;
    for (const std::string& n : nodes) {
      if (c[n] == want) out.push_back(n);
    }
    return out;
  };
  const std::vector<std::string> good = with(PairConclusion::kGood);
  const std::vector<std::string> suspects = with(PairConclusion::kSuspect);
  const std::vector<std::string> untested = with(PairConclusion::kUntested);

  // 1. Suspects against known-good nodes.
  for (const std::string& s : suspects) {
    for (const std::string& g : good) {
      if (free(g) && untried(s, g)) {
        pair(s, g);
        break;
      }
    }
  }
  // 2. No referee yet: suspects against each other, new partners only.
  if (good.empty()) {
    for (const std::string& s : suspects) {
      if (!free(s)) continue;
      for (const std::string& t : suspects) {
        if (free(t) && untried(s, t)) {
          pair(s, t);
          break;
        }
      }
    }
  }
  // 3. Untested nodes in order; an odd one out with a good node, else anyone untried.
  std::vector<std::string> waiting;
  for (const std::string& u : untested) {
    if (free(u)) waiting.push_back(u);
  }
  for (std::size_t i = 0; i + 1 < waiting.size(); i += 2) pair(waiting[i], waiting[i + 1]);
  if (waiting.size() % 2 == 1) {
    const std::string& odd = waiting.back();
    bool placed = false;
    for (const std::string& g : good) {
      if (free(g) && untried(odd, g)) {
        pair(odd, g);
        placed = true;
        break;
      }
    }
    for (std::size_t i = 0; !placed && i < nodes.size(); ++i) {
      if (free(nodes[i]) && untried(odd, nodes[i]) && c[nodes[i]] != PairConclusion::kBad) {
        pair(odd, nodes[i]);
        placed = true;
      }
    }
  }

  // Results may name nodes no longer offered (their pair ended in an error):
  // they count for their partners' conclusions, but are neither paired nor reported.
  std::erase_if(c, [&](const auto& entry) { return !std::binary_search(nodes.begin(), nodes.end(), entry.first); });
  plan.finished = plan.next.empty();
  if (plan.finished) {
    for (auto& [node, conclusion] : c) {
      if (conclusion == PairConclusion::kSuspect || conclusion == PairConclusion::kUntested) {
        conclusion = PairConclusion::kInconclusive;
      }
    }
  }
  return plan;
}

}  // namespace llm
