#include "numa_affinity.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

namespace llm::gpu_check {

TEST_CASE("ParseCpuList") {
  struct Case {
    const char* text;
    std::vector<int> want;
  };
  const Case cases[] = {
      {"0-3", {0, 1, 2, 3}}, {"0-1,8,10-11", {0, 1, 8, 10, 11}}, {"5", {5}}, {"", {}}, {"3,1-2", {1, 2, 3}}};
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto r = ParseCpuList(c.text);
    REQUIRE(r.ok());
    CHECK(*r == c.want);
  }
  for (const char* bad : {"a", "3-1", "1,,2", "1-", "-1"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseCpuList(bad).ok());
  }
}

TEST_CASE("SysfsTopology reads numa_node and cpulist") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / "llm_gpu_check_sysfs_test";
  fs::remove_all(root);
  fs::create_directories(root / "bus/pci/devices/0000:18:00.0");
  fs::create_directories(root / "bus/pci/devices/0000:19:00.0");
  fs::create_directories(root / "devices/system/node/node1");
  std::ofstream(root / "bus/pci/devices/0000:18:00.0/numa_node") << "1\n";
  std::ofstream(root / "bus/pci/devices/0000:19:00.0/numa_node") << "-1\n";
  std::ofstream(root / "bus/pci/devices/0000:18:00.0/device") << "0x2330\n";
  std::ofstream(root / "devices/system/node/node1/cpulist") << "48-50,96\n";

  const SysfsTopology sysfs(root.string());
  CHECK(sysfs.NumaNodeOfPciDevice("0000:18:00.0") == 1);
  CHECK(sysfs.NumaNodeOfPciDevice("00000000:18:00.0") == 1);
  CHECK(sysfs.PciDeviceId("0000:18:00.0") == 0x2330u);
  CHECK_FALSE(sysfs.PciDeviceId("0000:19:00.0").has_value());
  CHECK(SysfsPciName("00000000:1A:00.0") == "0000:1a:00.0");
  CHECK_FALSE(sysfs.NumaNodeOfPciDevice("0000:19:00.0").has_value());  // kernel says unknown
  CHECK_FALSE(sysfs.NumaNodeOfPciDevice("0000:aa:00.0").has_value());
  auto cpus = sysfs.CpusOfNumaNode(1);
  REQUIRE(cpus.ok());
  CHECK(*cpus == std::vector<int>{48, 49, 50, 96});
  CHECK_FALSE(sysfs.CpusOfNumaNode(7).ok());
  fs::remove_all(root);
}

}  // namespace llm::gpu_check
