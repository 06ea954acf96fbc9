#include "util/yaml_load.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>

namespace llm {
namespace {

/// Records where each document starts and nothing else: the first pass only
/// proves that the parser gets through the text.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { last_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark last_start = YAML::Mark::null_mark();
};

}  // namespace

std::vector<YAML::Node> LoadAllYaml(const std::string& text) {
  // A document takes at least one byte ("---", a scalar, a comment line), so
  // a stream of N bytes holds at most N + 1 documents (the empty stream: one
  // null document at most). More means the parser is going round in place.
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts starts;
  size_t documents = 0;
  while (parser.HandleNextDocument(starts)) {
    if (++documents > text.size() + 1) {
      const YAML::Mark at = starts.last_start;
      const char c = at.pos >= 0 && static_cast<size_t>(at.pos) < text.size() ? text[at.pos] : '?';
      throw YAML::ParserException(at, std::string("unexpected '") + c + "' where a document should start");
    }
  }
  return YAML::LoadAll(text);
}

}  // namespace llm
