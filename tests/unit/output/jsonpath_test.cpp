#include "output/jsonpath.h"

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"

namespace llm {
namespace {

nlohmann::json Fixture() { return nlohmann::json::parse(testing::ReadTestdata("output/jsonpath_object.json")); }

// What a template does over the fixture: its output, or the error of the step that failed.
struct Outcome {
  std::string step;  ///< "printed", "parse" or "execute"
  std::string text;
  bool operator==(const Outcome&) const = default;
};
Outcome Run(const char* path) {
  auto parsed = JsonPath::Parse(path);
  if (!parsed.ok()) return {"parse", parsed.error().message()};
  auto out = parsed->Execute(Fixture());
  if (!out.ok()) return {"execute", out.error().message()};
  return {"printed", *out};
}

struct JsonPathCase {
  const char* path;
  const char* want;  ///< the output, or the error's message
};

// kubectl v1.35.4 (k8s.io/client-go v0.35.4) printed these for the template over
// tests/testdata/output/jsonpath_object.json (`kubectl label --local -f FILE x=1 --overwrite -o jsonpath=T`).
const JsonPathCase kPrinted[] = {
    {R"~({.metadata.name})~", R"~(chat)~"},
    {R"~({.metadata.name}{"\n"})~", R"~(chat
)~"},
    {R"~({.spec.replicas})~", R"~(3)~"},
    {R"~({.spec.ratio} {.spec.big} {.spec.tiny} {.spec.huge})~", R"~(0.25 1.234567e+06 1e-05 1e+21)~"},
    {R"~({.spec.enabled} {.spec.nothing})~", R"~(true null)~"},
    {R"~({.spec.empty}|)~", R"~(|)~"},
    {R"~({.spec.text})~", R"~(line1
line2)~"},
    {R"~({.metadata.annotations})~", R"~({"note":"a\u003cb \u0026 c\u003ed"})~"},
    {R"~({.metadata.annotations.note})~", R"~(a<b & c>d)~"},
    {R"~({.spec.containers[0].name})~", R"~(engine)~"},
    {R"~({.spec.containers[-1].name})~", R"~(sidecar)~"},
    {R"~({.spec.containers[*].name})~", R"~(engine sidecar)~"},
    {R"~({.spec.containers[*].ports[*].containerPort})~", R"~(8000 9090 8080)~"},
    {R"~({.spec.nodes[0:2].name})~", R"~(n0 n1)~"},
    {R"~({.spec.nodes[::2].name})~", R"~(n0 n2)~"},
    {R"~({.spec.nodes[1:].name})~", R"~(n1 n2)~"},
    {R"~({.spec.nodes[-2:].name})~", R"~(n1 n2)~"},
    {R"~({.spec.nodes[0,2].name})~", R"~(n0 n2)~"},
    {R"~({.spec.nodes[2,0].gpus})~", R"~(8 8)~"},
    {R"~({.spec.nodes[?(@.gpus==8)].name})~", R"~(n0 n2)~"},
    {R"~({.spec.nodes[?(@.gpus!=8)].name})~", R"~(n1)~"},
    {R"~({.spec.nodes[?(@.gpus<8)].name})~", R"~(n1)~"},
    {R"~({.spec.nodes[?(@.gpus>4)].name})~", R"~(n0 n2)~"},
    {R"~({.spec.nodes[?(@.gpus<=4)].name})~", R"~(n1)~"},
    {R"~({.spec.nodes[?(@.gpus>=8)].name})~", R"~(n0 n2)~"},
    {R"~({.spec.nodes[?(@.name=="n1")].gpus})~", R"~(4)~"},
    {R"~({.spec.nodes[?(@.name!='n1')].gpus})~", R"~(8 8)~"},
    {R"~({.spec.nodes[?(@.ready==true)].name})~", R"~(n0 n2)~"},
    {R"~({.spec.nodes[?(@.score>0.6)].name})~", R"~(n0 n2)~"},
    {R"~({.spec.nodes[?(@.taint)].name})~", R"~(n2)~"},
    {R"~({.spec.containers[?(@.env)].name})~", R"~(sidecar)~"},
    {R"~({.spec.containers[?(@.name=="engine")].ports[?(@.name=="metrics")].containerPort})~", R"~(9090)~"},
    {R"~({range .spec.nodes[*]}{.name}{"\t"}{.gpus}{"\n"}{end})~", R"~(n0	8
n1	4
n2	8
)~"},
    {R"~({range .spec.containers[*]}{.name}:{range .ports[*]}{.containerPort},{end};{end})~",
     R"~(engine:8000,9090,;sidecar:8080,;)~"},
    {R"~({range .spec.nodes[?(@.ready==true)]}[{.name}]{end})~", R"~([n0][n2])~"},
    {R"~({.spec.containers[0].resources.limits.nvidia\.com/gpu})~", R"~(8)~"},
    {R"~({.spec.containers[0].resources.limits['nvidia.com/gpu']})~", R"~()~"},
    {R"~({.spec.dotted['a\.b']})~", R"~(dotted-value)~"},
    {R"~({.spec.matrix})~", R"~([[1,2],[3,4]])~"},
    {R"~({.spec.matrix[1][0]})~", R"~(3)~"},
    {R"~({.spec.matrix[*][1]})~", R"~(2 4)~"},
    {R"~({.spec.nodes[0]})~", R"~({"gpus":8,"name":"n0","ready":true,"score":0.9})~"},
    {R"~({.spec.containers[1].ports})~", R"~([{"containerPort":8080}])~"},
    {R"~({$.metadata.namespace})~", R"~(team-a)~"},
    {R"~({@.metadata.namespace})~", R"~(team-a)~"},
    {R"~({.spec.missing})~", R"~()~"},
    {R"~({.spec.missing.deeper}|{.spec.nodes[*].taint})~", R"~(|x)~"},
    {R"~({.spec.nodes[*]['name','gpus']})~", R"~(n0 n1 n2 8 4 8)~"},
    {R"~({..containerPort})~", R"~(8000 9090 8080)~"},
    {R"~(name: {.metadata.name}, ns: {.metadata.namespace})~", R"~(name: chat, ns: team-a)~"},
    {R"~({.metadata.name.*})~", R"~(99 104 97 116)~"},
    {R"~({"literal"} {'single'} {"tab\there"} {"\u00e9"})~", R"~(literal single tab	here é)~"},
    {R"~({.spec.gpus} {.spec.replicas})~", R"~(8 3)~"},
    {R"~({.spec.nodes[?(@.gpus==8)].score})~", R"~(0.9 1.5)~"},
    {R"~({.spec.nodes[3:3]}|)~", R"~(|)~"},
    {R"~({.spec.nodes[1:1].name}|x)~", R"~(|x)~"},
    {R"~({range .spec.nodes[*]}{@.name} {end})~", R"~(n0 n1 n2 )~"},
    {R"~({range .spec.missing[*]}{.name}{end}after)~", R"~(after)~"},
    {R"~(plain text only)~", R"~(plain text only)~"},
    {R"~({})~",
     R"~({"apiVersion":"example.dev/v1","kind":"Thing","metadata":{"annotations":{"note":"a\u003cb \u0026 c\u003ed"},"labels":{"x":"1"},"name":"chat","namespace":"team-a"},"spec":{"big":1234567,"containers":[{"image":"vllm:0.6","name":"engine","ports":[{"containerPort":8000,"name":"http"},{"containerPort":9090,"name":"metrics"}],"resources":{"limits":{"nvidia.com/gpu":"8"}}},{"env":[{"name":"A","value":"1"}],"image":"proxy:1","name":"sidecar","ports":[{"containerPort":8080}]}],"dotted":{"a.b":"dotted-value"},"empty":"","enabled":true,"gpus":"8","huge":1e+21,"matrix":[[1,2],[3,4]],"nodes":[{"gpus":8,"name":"n0","ready":true,"score":0.9},{"gpus":4,"name":"n1","ready":false,"score":0.5},{"gpus":8,"name":"n2","ready":true,"score":1.5,"taint":"x"}],"nothing":null,"ratio":0.25,"replicas":3,"text":"line1\nline2","tiny":0.00001}})~"},
    {R"~({.a!})~", R"~()~"},
    {R"~({.spec.replicas true 1.5 -3})~", R"~(-3)~"},
};
const JsonPathCase kParseErrors[] = {
    {R"~({.spec.nodes[?(@.gpus=~8)].name})~", R"~(unrecognized character in action: U+007E '~')~"},
    {R"~({.spec.nodes[)~", R"~(unterminated array)~"},
    {R"~({.metadata.name)~", R"~(unclosed action)~"},
    {R"~({.spec.nodes[?(@.a==1]})~", R"~(unterminated filter)~"},
    {R"~({.spec.nodes[?(@.a==1)})~", R"~(unclosed array expect ])~"},
    {R"~({"unterminated})~", R"~(unterminated quoted string)~"},
    {R"~({"bad\q"})~", R"~(unquote string "bad\q" error invalid syntax)~"},
    {R"~({.spec.nodes[a]})~", R"~(invalid array index a)~"},
    {R"~({.spec.nodes[1:x]})~", R"~(invalid array index 1:x)~"},
    {R"~({....a})~", R"~(invalid multiple recursive descent)~"},
    {R"~({..*})~", R"~(unrecognized character in action: U+002A '*')~"},
    {R"~({1.2.3})~", R"~(cannot parse number 1.2.3)~"},
};
const JsonPathCase kExecuteErrors[] = {
    {R"~({.spec.nodes[5]})~", R"~(array index out of bounds: index 5, length 3)~"},
    {R"~({.spec.nodes[0:9]})~", R"~(array index out of bounds: index 8, length 3)~"},
    {R"~({.spec.nodes[2:1]})~", R"~(starting index 2 is greater than ending index 1)~"},
    {R"~({.spec.nodes[::0]})~", R"~(step must be > 0)~"},
    {R"~({.spec.replicas[0]})~", R"~(int64 is not array or slice)~"},
    {R"~({.spec.replicas[?(@.a)]})~", R"~(3 is not array or slice and cannot be filtered)~"},
    {R"~({.spec.nodes[?(@.gpus=="8")].name})~", R"~(incompatible types for comparison)~"},
    {R"~({.spec.nodes[?(@.ready<true)].name})~", R"~(invalid type for comparison)~"},
    {R"~({.spec.nodes[?(@.gpus==8.0)].name})~", R"~(incompatible types for comparison)~"},
    {R"~({.spec.nodes[?(@.*==8)].name})~", R"~(can only compare one element at a time)~"},
    {R"~({end})~", R"~(not in range, nothing to end)~"},
    {R"~({.a}{end})~", R"~(not in range, nothing to end)~"},
    {R"~({bogus})~", R"~(unrecognized identifier bogus)~"},
    {R"~({.spec.nodes[-9]})~", R"~(array index out of bounds: index -6, length 3)~"},
};

TEST_CASE("JsonPath prints what kubectl prints for the same template over the same object") {
  for (const JsonPathCase& c : kPrinted) {
    CAPTURE(c.path);
    CHECK(Run(c.path) == Outcome{"printed", c.want});
  }
}

TEST_CASE("JsonPath refuses a bad template with client-go's parse error") {
  for (const JsonPathCase& c : kParseErrors) {
    CAPTURE(c.path);
    CHECK(Run(c.path) == Outcome{"parse", c.want});
  }
}

TEST_CASE("JsonPath fails on what the object cannot answer with client-go's execution error") {
  for (const JsonPathCase& c : kExecuteErrors) {
    CAPTURE(c.path);
    CHECK(Run(c.path) == Outcome{"execute", c.want});
  }
}

TEST_CASE("JsonPath: a missing key is an error only when missing keys are not allowed") {
  const nlohmann::json object = Fixture();
  const JsonPath path = JsonPath::Parse("{.spec.missing}").value();
  CHECK(path.Execute(object).value().empty());
  auto strict = path.Execute(object, /*allow_missing_keys=*/false);
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.error().message() == "missing is not found");
}

TEST_CASE("JsonPath: a map's wildcard lists its values by key (Go's order is random)") {
  const nlohmann::json object = Fixture();
  CHECK(JsonPath::Parse("{.spec.nodes[0].*}").value().Execute(object).value() == "8 n0 true 0.9");
  CHECK(JsonPath::Parse("{.metadata.name.*}").value().Execute(object).value() == "99 104 97 116");  // a string's bytes
}

TEST_CASE("JsonPath: the values custom columns print, as fmt.Sprint spells them") {
  const nlohmann::json object = Fixture();
  CHECK(JsonPath::Parse("{.spec.nodes[*].gpus}").value().FindValueTexts(object).value() ==
        std::vector<std::string>{"8", "4", "8"});
  CHECK(JsonPath::Parse("{.spec.containers[0].resources}").value().FindValueTexts(object).value() ==
        std::vector<std::string>{"map[limits:map[nvidia.com/gpu:8]]"});
  CHECK(JsonPath::Parse("{.spec.nothing}").value().FindValueTexts(object).value() == std::vector<std::string>{"<nil>"});
  CHECK(JsonPath::Parse("{.spec.missing}").value().FindValueTexts(object).value().empty());
}

}  // namespace
}  // namespace llm
