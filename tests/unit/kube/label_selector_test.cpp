#include "kube/label_selector.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using Labels = std::map<std::string, std::string>;

bool Match(const char* selector, const Labels& labels) {
  auto s = LabelSelector::Parse(selector);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message()));
  return s->Matches(labels);
}

}  // namespace

TEST_CASE("LabelSelector matches like kubectl -l") {
  const Labels gpu = {{"pool", "gpu"}, {"zone", "a"}, {"nvidia.com/gpu.count", "8"}};
  struct Case {
    const char* selector;
    bool matches;
  };
  for (const Case& c : {Case{"", true},
                        Case{"pool=gpu", true},
                        Case{"pool==gpu", true},
                        Case{"pool=cpu", false},
                        Case{"pool!=cpu", true},
                        Case{"pool!=gpu", false},
                        Case{"missing!=x", true},  // != holds for absent keys
                        Case{"zone in (a,b)", true},
                        Case{"zone in (b, c)", false},
                        Case{"zone notin (b,c)", true},
                        Case{"missing notin (b)", true},
                        Case{"zone notin (a)", false},
                        Case{"pool", true},
                        Case{"missing", false},
                        Case{"!missing", true},
                        Case{"!pool", false},
                        Case{"nvidia.com/gpu.count>4", true},
                        Case{"nvidia.com/gpu.count<4", false},
                        Case{"pool>4", false},  // not an integer: no match
                        Case{" pool = gpu , zone in ( a ) , !spot ", true},
                        Case{"pool=gpu,zone=b", false}}) {
    INFO(c.selector);
    CHECK(Match(c.selector, gpu) == c.matches);
  }
}

TEST_CASE("LabelSelector errors name the flag and say what is wrong") {
  const std::string accepted =
      "; accepted: key, !key, key=value, key==value, key!=value, key in (v1,v2), key notin (v1,v2), key>N, key<N, "
      "joined by commas";
  struct Case {
    const char* selector;
    const char* why;
  };
  for (const Case& c :
       {Case{"=x", "expected a label key"}, Case{"a=b,", "trailing ','"}, Case{"a in b", "expected '(' after \"in\""},
        Case{"a in (b c)", "expected ',' or ')' in the values of \"a\""},
        Case{"a in ()", "\"a\" needs at least one value"}, Case{"a b", "unexpected \"b\" after key \"a\""},
        Case{"a=b c=d", "expected ',' after the requirement on \"a\""},
        Case{"a>x", "\"a\" needs a non-negative integer after > or <"},
        Case{"-a=b", "key \"-a\": name must begin and end with a letter or digit"},
        Case{"Foo/a=b", "key \"Foo/a\": prefix must be a lowercase DNS subdomain"},
        Case{"a=b$c", "value \"b$c\": value may contain only letters, digits, '-', '_' and '.'"}}) {
    INFO(c.selector);
    auto s = LabelSelector::Parse(c.selector, "--selector");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind() == ErrorKind::kUsage);
    CHECK(s.error().message() == std::string("invalid --selector \"") + c.selector + "\": " + c.why + accepted);
  }
}

TEST_CASE("LabelSelector::String is the canonical form") {
  auto s = LabelSelector::Parse("b in (y, x, x), a!=1,!c, d, e>3");
  REQUIRE(s.ok());
  CHECK(s->String() == "b in (x,y),a!=1,!c,d,e>3");
  CHECK(s->requirements().size() == 5);
  CHECK(LabelSelector::Parse("")->empty());
}

TEST_CASE("LabelSelector::FromApi reads a metav1.LabelSelector, Unmet names what labels lack") {
  const nlohmann::json api = nlohmann::json::parse(R"({
    "matchLabels": {"release": "kps"},
    "matchExpressions": [{"key": "tier", "operator": "In", "values": ["silver", "gold"]},
                         {"key": "legacy", "operator": "DoesNotExist"}]})");
  auto s = LabelSelector::FromApi(api, "spec.podMonitorSelector");
  REQUIRE(s.ok());
  CHECK(s->String() == "release=kps,tier in (gold,silver),!legacy");
  CHECK(s->Matches({{"release", "kps"}, {"tier", "gold"}}));
  CHECK(s->Unmet({{"release", "kps"}, {"legacy", "1"}}) ==
        std::vector<std::string>{"tier in (gold,silver)", "!legacy"});
  CHECK(s->Unmet({{"release", "kps"}, {"tier", "gold"}}).empty());

  auto everything = LabelSelector::FromApi(nlohmann::json::object(), "f");
  REQUIRE(everything.ok());
  CHECK(everything->empty());

  auto bad = LabelSelector::FromApi(nlohmann::json::parse(R"({"matchLabels": {"release": 1}})"), "spec.sel");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() == "spec.sel: matchLabels.release is not a string");
  CHECK_FALSE(LabelSelector::FromApi(nlohmann::json::array(), "f").ok());
}

}  // namespace llm
