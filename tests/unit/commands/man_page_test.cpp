// The man pages come from the same command tree as --help: a page for the
// plugin and each visible command, and each page names every flag that
// command's --help shows, so the two cannot drift.
#include "commands/man_page.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "fakes/run_cli.h"

namespace llm {
namespace {

std::map<std::string, std::string> WrittenPages() {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "man-page-test";
  std::filesystem::remove_all(dir);
  auto written = testing::RunCli({"__man", dir.string()});
  REQUIRE_MESSAGE(written.code == 0, written.err);
  std::map<std::string, std::string> pages;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    pages[entry.path().filename().string()] = text.str();
  }
  std::filesystem::remove_all(dir);
  return pages;
}

/// The long flags a --help text lists ("  --gpus N   ..." -> "--gpus").
std::set<std::string> HelpFlags(const std::string& help) {
  std::set<std::string> flags;
  static const std::regex flag(R"((^|[ ,])(--[a-z][a-z0-9-]*))");
  std::istringstream lines(help);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("  ")) continue;
    std::smatch m;
    const std::string head = line.substr(0, line.find("   ", 2));
    for (auto it = std::sregex_iterator(head.begin(), head.end(), flag); it != std::sregex_iterator(); ++it) {
      flags.insert((*it)[2]);
    }
  }
  return flags;
}

/// "--gpus" as roff writes it in a page.
std::string InRoff(const std::string& flag) {
  std::string out;
  for (char c : flag) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

TEST_CASE("__man writes a page for the plugin and every command, each naming every flag its --help shows") {
  const std::map<std::string, std::string> pages = WrittenPages();
  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{{},
                                                                                       {"serve"},
                                                                                       {"train"},
                                                                                       {"sweep"},
                                                                                       {"sweep", "status"},
                                                                                       {"scale"},
                                                                                       {"status"},
                                                                                       {"tenant", "create"},
                                                                                       {"validate-nodes"},
                                                                                       {"diff", "serve"}}) {
    std::string page_name = "kubectl-llm";
    for (const std::string& word : command) page_name += "-" + word;
    page_name += ".1";
    INFO(page_name);
    REQUIRE(pages.count(page_name) == 1);
    const std::string& page = pages.at(page_name);
    CHECK(page.starts_with(".TH \""));
    CHECK(page.find(".SH SYNOPSIS\n") != std::string::npos);
    std::vector<std::string> help_args = command;
    help_args.push_back("--help");
    const std::string help = testing::RunCli(help_args).out;
    for (const std::string& flag : HelpFlags(help)) {
      if (flag == "--help") continue;
      // An option as roff sets it, or a flag in an example, as typed.
      CHECK_MESSAGE((page.find(InRoff(flag)) != std::string::npos || page.find(" " + flag + " ") != std::string::npos),
                    flag);
    }
  }
  CHECK(pages.at("kubectl-llm-serve.1").find("kubectl llm serve chat \\-\\-model") == std::string::npos);
  CHECK(pages.at("kubectl-llm-serve.1").find("kubectl llm serve chat --model") !=
        std::string::npos);  // examples as typed
  CHECK(pages.at("kubectl-llm.1").find("\\fBkubectl-llm-serve\\fR(1)") != std::string::npos);
  CHECK(pages.size() > 30);
}

TEST_CASE("__man refuses anything but one directory") {
  auto refused = testing::RunCli({"__man"});
  CHECK(refused.code == 2);
  CHECK(refused.err == "error: usage: kubectl-llm __man DIR\n");
}

}  // namespace
}  // namespace llm
