// The sweep's trials before anything is created: --param specs, the grid and
// the seeded samples, and the command's {param} placeholders.
#include "workload/sweep_plan.h"

#include <cmath>
#include <cstdlib>
#include <set>

#include <doctest/doctest.h>

namespace llm {
namespace {

std::vector<SweepParam> Params(std::initializer_list<std::string_view> specs) {
  std::vector<SweepParam> params;
  for (std::string_view spec : specs) {
    auto param = ParseSweepParam(spec);
    REQUIRE_MESSAGE(param.ok(), (param.ok() ? "" : param.error().message()));
    params.push_back(*param);
  }
  return params;
}

std::string UsageError(std::string_view spec) {
  auto param = ParseSweepParam(spec);
  REQUIRE_FALSE(param.ok());
  CHECK(param.error().kind() == ErrorKind::kUsage);
  return param.error().message();
}

TEST_CASE("sweep --param: a list is a grid, a prefix a distribution") {
  SweepParam grid = Params({"lr=1e-4, 3e-4,1e-3"})[0];
  CHECK(grid.name == "lr");
  CHECK(grid.kind == SweepParam::Kind::kGrid);
  CHECK(grid.values == std::vector<std::string>{"1e-4", "3e-4", "1e-3"});

  SweepParam single = Params({"opt=adamw"})[0];
  CHECK(single.kind == SweepParam::Kind::kGrid);
  CHECK(single.values == std::vector<std::string>{"adamw"});

  SweepParam log = Params({"wd=loguniform:1e-5:1e-1"})[0];
  CHECK(log.kind == SweepParam::Kind::kLogUniform);
  CHECK(log.low == doctest::Approx(1e-5));
  CHECK(log.high == doctest::Approx(1e-1));
  CHECK(Params({"x=uniform:-1:1"})[0].kind == SweepParam::Kind::kUniform);
  CHECK(Params({"bs=int:16:64"})[0].kind == SweepParam::Kind::kInt);
  SweepParam choice = Params({"opt=choice:adam|sgd"})[0];
  CHECK(choice.kind == SweepParam::Kind::kChoice);
  CHECK(choice.values == std::vector<std::string>{"adam", "sgd"});
}

TEST_CASE("sweep --param: bad specs are refused naming the flag and the accepted forms") {
  CHECK(UsageError("wd=normal:0:1").find("--param wd=normal:0:1: unknown distribution \"normal\"") == 0);
  CHECK(UsageError("wd=normal:0:1").find("NAME=loguniform:LOW:HIGH") != std::string::npos);
  CHECK(UsageError("lr=").find("the grid has an empty value") != std::string::npos);
  CHECK(UsageError("lr=1,,2").find("the grid has an empty value") != std::string::npos);
  CHECK(UsageError("lr").find("it has no '='") != std::string::npos);
  CHECK(UsageError("2lr=1").find("NAME must be a letter") != std::string::npos);
  CHECK(UsageError("wd=loguniform:0:1").find("loguniform needs 0 < LOW") != std::string::npos);
  CHECK(UsageError("wd=uniform:1:1").find("LOW must be less than HIGH") != std::string::npos);
  CHECK(UsageError("wd=uniform:a:1").find("LOW and HIGH must be numbers") != std::string::npos);
  CHECK(UsageError("wd=uniform:1").find("a range takes LOW:HIGH") != std::string::npos);
  CHECK(UsageError("bs=int:1.5:4").find("int takes whole numbers") != std::string::npos);
  CHECK(UsageError("opt=choice:a||b").find("choice has an empty value") != std::string::npos);
}

TEST_CASE("sweep trials: every grid combination, the first --param slowest, each with --trials samples") {
  auto trials = PlanTrials(Params({"lr=1,2,3", "wd=loguniform:1e-5:1e-1"}), 2, 7);
  REQUIRE(trials.ok());
  REQUIRE(trials->size() == 6);
  const std::vector<std::string> lrs = {"1", "1", "2", "2", "3", "3"};
  std::set<std::string> wds;
  for (size_t i = 0; i < 6; ++i) {
    REQUIRE((*trials)[i].size() == 2);
    CHECK((*trials)[i][0] == std::pair<std::string, std::string>{"lr", lrs[i]});
    CHECK((*trials)[i][1].first == "wd");
    const double wd = std::strtod((*trials)[i][1].second.c_str(), nullptr);
    CHECK(wd >= 1e-5);
    CHECK(wd <= 1e-1);
    wds.insert((*trials)[i][1].second);
  }
  CHECK(wds.size() == 6);  // drawn, not repeated

  auto grid = PlanTrials(Params({"a=x,y", "b=1,2,3"}), 1, 0);
  REQUIRE(grid.ok());
  std::vector<std::string> order;
  for (const TrialParams& t : *grid) order.push_back(FormatTrialParams(t));
  CHECK(order == std::vector<std::string>{"a=x b=1", "a=x b=2", "a=x b=3", "a=y b=1", "a=y b=2", "a=y b=3"});
}

TEST_CASE("sweep trials: the same seed draws the same trials, another seed others") {
  const auto params = Params({"lr=uniform:0:1", "bs=int:16:64", "opt=choice:adam|sgd|lion"});
  auto a = PlanTrials(params, 20, 42);
  auto b = PlanTrials(params, 20, 42);
  auto c = PlanTrials(params, 20, 43);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(*a == *b);
  CHECK(*a != *c);
  std::set<std::string> opts;
  for (const TrialParams& t : *a) {
    const long bs = std::strtol(t[1].second.c_str(), nullptr, 10);
    CHECK(std::to_string(bs) == t[1].second);
    CHECK(bs >= 16);
    CHECK(bs <= 64);
    opts.insert(t[2].second);
  }
  CHECK(opts == std::set<std::string>{"adam", "sgd", "lion"});
  CHECK(DefaultSweepSeed("lr-sweep") == DefaultSweepSeed("lr-sweep"));
  CHECK(DefaultSweepSeed("lr-sweep") != DefaultSweepSeed("lr-sweep2"));
}

TEST_CASE("sweep trials: refused when empty, repeated, oversized or sampling nothing") {
  auto none = PlanTrials({}, 1, 0);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message().find("at least one --param") != std::string::npos);
  auto twice = PlanTrials(Params({"lr=1", "lr=2"}), 1, 0);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().message() == "--param lr is given twice");
  auto samples = PlanTrials(Params({"lr=1,2"}), 3, 0);
  REQUIRE_FALSE(samples.ok());
  CHECK(samples.error().message().find("--trials 3 samples the distributions, and no --param has one") == 0);
  auto zero = PlanTrials(Params({"lr=uniform:0:1"}), 0, 0);
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.error().message() == "--trials must be at least 1, got 0");
  auto huge = PlanTrials(Params({"a=1,2,3,4,5,6,7,8,9,10", "b=1,2,3,4,5,6,7,8,9,10", "c=1,2,3,4,5,6"}), 1, 0);
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().message().find("more than 500 trials") != std::string::npos);
}

TEST_CASE("sweep command: each {param} defined and each --param used, and ${VAR} is the shell's") {
  const auto params = Params({"lr=1,2", "wd=uniform:0:1"});
  CHECK(CheckPlaceholders({"torchrun", "t.py", "--lr", "{lr}", "--wd={wd}", "--home", "${HOME}"}, params).ok());
  Status undefined = CheckPlaceholders({"t.py", "--lr", "{lr}", "--wd", "{wd}", "--bs", "{bs}"}, params);
  REQUIRE_FALSE(undefined.ok());
  CHECK(undefined.error().message() == "the command reads {bs}, which no --param defines (give --param bs=...)");
  Status unused = CheckPlaceholders({"t.py", "--lr", "{lr}"}, params);
  REQUIRE_FALSE(unused.ok());
  CHECK(unused.error().message().find("--param wd is not used by the command: put {wd}") == 0);

  CHECK(FillPlaceholders({"t.py", "--lr", "{lr}", "--tag=lr{lr}-wd{wd}", "${HOME}", "{json: 1}"},
                         {{"lr", "0.1"}, {"wd", "3"}}) ==
        std::vector<std::string>{"t.py", "--lr", "0.1", "--tag=lr0.1-wd3", "${HOME}", "{json: 1}"});
  CHECK(FormatTrialParams({{"lr", "0.1"}, {"wd", "3"}}) == "lr=0.1 wd=3");
}

}  // namespace
}  // namespace llm
