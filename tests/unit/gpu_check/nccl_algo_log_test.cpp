#include "nccl_algo_log.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

TEST_CASE("ParseNcclAlgo reads NCCL's tuning lines") {
  const char* log =
      "node:1:1 [0] NCCL INFO AllReduce: 4096 Bytes -> Algo Tree proto LL channel{Lo..Hi}={0..1}\n"
      "node:1:1 [0] NCCL INFO AllReduce: 1073741824 Bytes -> Algo Ring proto Simple channel{Lo..Hi}={0..15}\n"
      "node:1:1 [0] NCCL INFO AllReduce: 1073741824 Bytes -> Algo NVLS proto Simple channel{Lo..Hi}={0..15}\n"
      "node:1:1 [0] NCCL INFO AllGather: 268435456 Bytes -> Algo Ring proto Simple\n"
      "node:1:1 [0] NCCL INFO AllGather: 999 Bytes -> Algo Ring proto Simple\n"
      "node:1:1 [0] NCCL INFO AllReduce:    65536 Bytes -> Algo 1 proto 2 time 12.5\n"
      "node:1:1 [0] NCCL INFO AllReduce: 8 Bytes -> Algo 6 proto 0 time 1.0\n"
      "node:1:1 [0] NCCL INFO AllReduce: 16 Bytes -> Algo 5 proto 0 time 1.0\n"
      "node:1:1 [0] NCCL INFO AllReduce: 268435456 Bytes -> Algo NVLS_TREE proto Simple channel{Lo..Hi}={0..15}\n";
  CHECK(ParseNcclAlgo(log, 1073741824) == "NVLS");  // the last line for the size wins
  CHECK(ParseNcclAlgo(log, 4096) == "TREE");
  CHECK(ParseNcclAlgo(log, 65536) == "RING");  // numeric ids of older NCCL
  CHECK(ParseNcclAlgo(log, 8) == "PAT");
  CHECK(ParseNcclAlgo(log, 16) == "NVLS_TREE");
  CHECK(ParseNcclAlgo(log, 268435456) == "NVLS_TREE");  // not the AllGather line before it
  CHECK(ParseNcclAlgo(log, 999) == "");                 // AllGather is not AllReduce
  CHECK(ParseNcclAlgo(log, 4096 * 2) == "");
  CHECK(ParseNcclAlgo(log, 409) == "");  // a prefix of 4096 is not 4096
  CHECK(ParseNcclAlgo("", 1) == "");
}

TEST_CASE("IsNvlsAlgo") {
  CHECK(IsNvlsAlgo("NVLS"));
  CHECK(IsNvlsAlgo("NVLS_TREE"));
  CHECK_FALSE(IsNvlsAlgo("RING"));
  CHECK_FALSE(IsNvlsAlgo(""));
}

}  // namespace llm::gpu_check
