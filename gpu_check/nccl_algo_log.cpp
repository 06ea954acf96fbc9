#include "nccl_algo_log.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace llm::gpu_check {

std::string ParseNcclAlgo(std::string_view log, std::uint64_t bytes) {
  static constexpr std::string_view kOp = "AllReduce:";
  static constexpr std::string_view kArrow = " Bytes -> Algo ";
  std::string found;
  std::size_t pos = 0;
  while ((pos = log.find(kOp, pos)) != std::string_view::npos) {
    std::size_t p = pos + kOp.size();
    pos = p;
    while (p < log.size() && log[p] == ' ') ++p;  // NCCL pads the size in some versions
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(log.data() + p, log.data() + log.size(), n);
    if (ec != std::errc() || n != bytes) continue;
    p = static_cast<std::size_t>(end - log.data());
    if (log.substr(p, kArrow.size()) != kArrow) continue;
    p += kArrow.size();
    std::size_t e = p;
    while (e < log.size() && !std::isspace(static_cast<unsigned char>(log[e]))) ++e;
    found = std::string(log.substr(p, e - p));
  }
  // The names NCCL's ncclAlgoToString gives, indexed by NCCL_ALGO_* ids.
  static constexpr std::array<const char*, 7> kById = {"TREE",      "RING", "COLLNET_DIRECT", "COLLNET_CHAIN", "NVLS",
                                                       "NVLS_TREE", "PAT"};
  if (found.size() == 1 && found[0] >= '0' && found[0] <= '6') return kById[static_cast<std::size_t>(found[0] - '0')];
  std::transform(found.begin(), found.end(), found.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return found;
}

bool IsNvlsAlgo(std::string_view algo) { return algo == "NVLS" || algo == "NVLS_TREE" || algo == "NVLSTREE"; }

}  // namespace llm::gpu_check
