#include "output/go_value_text.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

TEST_CASE("GoSprint spells values as fmt.Sprint does") {
  CHECK(GoSprint(json("text")) == "text");
  CHECK(GoSprint(json(3)) == "3");
  CHECK(GoSprint(json(-3)) == "-3");
  CHECK(GoSprint(json(true)) == "true");
  CHECK(GoSprint(json(nullptr)) == "<nil>");
  CHECK(GoSprint(json(1.5)) == "1.5");
  CHECK(GoSprint(json(100000.0)) == "100000");
  CHECK(GoSprint(json(1234567.0)) == "1.234567e+06");  // %v turns to %e from an exponent of 6
  CHECK(GoSprint(json(0.0001)) == "0.0001");
  CHECK(GoSprint(json(0.00001)) == "1e-05");
  CHECK(GoSprint(json(1e21)) == "1e+21");
  CHECK(GoSprint(json::parse(R"({"b":{"c":[1,"x"]},"a":null})")) == "map[a:<nil> b:map[c:[1 x]]]");
}

TEST_CASE("GoJsonMarshal is encoding/json's compact form") {
  CHECK(GoJsonMarshal(json::parse(R"({"b":1,"a":[true,null,"x"]})")) == R"({"a":[true,null,"x"],"b":1})");
  CHECK(GoJsonMarshal(json("<a&b>")) == R"("\u003ca\u0026b\u003e")");
  CHECK(GoJsonMarshal(json("tab\tnl\n\x01\b\f")) == R"("tab\tnl\n\u0001\b\f")");
  CHECK(GoJsonMarshal(json("\u2028")) == R"("\u2028")");
  CHECK(GoJsonMarshal(json("\xff")) == R"("\ufffd")");
  CHECK(GoJsonMarshal(json(1234567.0)) == "1234567");
  CHECK(GoJsonMarshal(json(0.00001)) == "0.00001");
  CHECK(GoJsonMarshal(json(0.0000001)) == "1e-7");
  CHECK(GoJsonMarshal(json(1e21)) == "1e+21");
}

TEST_CASE("GoQuote is strconv.Quote") {
  CHECK(GoQuote(R"({"\n"})") == R"("{\"\\n\"}")");
  CHECK(GoQuote("a\tb\x01") == R"("a\tb\x01")");
  CHECK(GoQuote("é") == "\"é\"");
}

}  // namespace
}  // namespace llm
