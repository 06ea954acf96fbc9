// Metric keys: the names that join a measurement to its floor in the
// thresholds table, the JSON document and the termination summary.
#pragma once

#include <array>
#include <string_view>

namespace llm::gpu_check {

inline constexpr std::string_view kMetricHbmCopy = "hbm_copy";              ///< per GPU, read+write bytes
inline constexpr std::string_view kMetricH2d = "h2d";                       ///< per GPU alone, pinned
inline constexpr std::string_view kMetricD2h = "d2h";                       ///< per GPU alone, pinned
inline constexpr std::string_view kMetricH2dConcurrent = "h2d_concurrent";  ///< per GPU, all at once
inline constexpr std::string_view kMetricD2hConcurrent = "d2h_concurrent";  ///< per GPU, all at once
inline constexpr std::string_view kMetricP2pUnidir = "p2p_unidir";          ///< per ordered pair
inline constexpr std::string_view kMetricP2pBidir = "p2p_bidir";            ///< per ordered pair, one direction's share
inline constexpr std::string_view kMetricNcclBusbw = "nccl_busbw";          ///< all-reduce, ring-type algorithms
inline constexpr std::string_view kMetricNcclBusbwNvls = "nccl_busbw_nvls";  ///< all-reduce when NCCL chose NVLS

/// Every metric a floor may be given for (validates --thresholds files).
inline constexpr std::array<std::string_view, 9> kAllMetrics = {
    kMetricHbmCopy,   kMetricH2d,      kMetricD2h,       kMetricH2dConcurrent, kMetricD2hConcurrent,
    kMetricP2pUnidir, kMetricP2pBidir, kMetricNcclBusbw, kMetricNcclBusbwNvls};

}  // namespace llm::gpu_check
