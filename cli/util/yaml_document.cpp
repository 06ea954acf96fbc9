#include "util/yaml_document.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <yaml.h>

#include "util/block_yaml.h"
#include "util/yaml_scalar.h"

namespace llm {
namespace {

// Aliases copy the node they name; expanding them could explode ("billion
// laughs"), so a stream stops after this many nodes.
constexpr size_t kMaxNodes = 1'000'000;
// The checks and printers that walk a parsed document recurse: deeper nesting
// is refused here (no manifest or values file comes near it).
constexpr size_t kMaxDepth = 1'000;

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

/// "SOURCE: line L, column C: what", the form every parse error takes.
Error ErrorAt(std::string_view source, const yaml_mark_t& mark, std::string_view what) {
  return Error(ErrorKind::kInvalidInput,
               fmt::format("{}: line {}, column {}: {}", source, mark.line + 1, mark.column + 1, what));
}

std::string_view Chars(const yaml_char_t* s) { return s ? reinterpret_cast<const char*>(s) : std::string_view(); }

/// libyaml's parser over one string, freed with it.
class EventParser {
 public:
  explicit EventParser(std::string_view text) {
    ready_ = yaml_parser_initialize(&parser_) != 0;
    if (!ready_) return;
    // An empty view may hold no pointer at all, which libyaml asserts against.
    const char* bytes = text.empty() ? "" : text.data();
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(bytes), text.size());
    // UTF-8 only (no UTF-16 guessed from a byte order mark), as JSON and the API take.
    yaml_parser_set_encoding(&parser_, YAML_UTF8_ENCODING);
  }
  ~EventParser() {
    if (has_event_) yaml_event_delete(&event_);
    if (ready_) yaml_parser_delete(&parser_);
  }
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  bool ready() const { return ready_; }
  const yaml_parser_t& parser() const { return parser_; }

  /// The next event, or null where the text stops parsing (see parser()).
  const yaml_event_t* Next() {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = yaml_parser_parse(&parser_, &event_) != 0;
    return has_event_ ? &event_ : nullptr;
  }

 private:
  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool ready_ = false;
  bool has_event_ = false;
};

/// Builds each document's JSON value from the parser's events: containers
/// open on a stack, every finished node goes into the one above it.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(std::string_view source) : source_(source) {}

  void StartDocument() {
    document_ = Json();
    anchors_.clear();  // anchors name nodes of their own document only
  }
  /// The finished document: null when it was empty.
  Json TakeDocument() { return std::move(document_); }

  Status Scalar(const yaml_event_t& event) {
    LLM_RETURN_IF_ERROR(Count(event.start_mark, 1));
    const auto& scalar = event.data.scalar;
    std::string text(reinterpret_cast<const char*>(scalar.value), scalar.length);
    // A key is its text, whatever it would resolve to: one without a tag to
    // check or an anchor to keep needs no value at all.
    if (AwaitsKey() && !scalar.tag && !scalar.anchor) return PlaceKey(std::move(text), event.start_mark);
    LLM_ASSIGN_OR_RETURN(Json value, Resolve(text, Chars(scalar.tag), scalar.style, event.start_mark));
    if (scalar.anchor) anchors_[std::string(Chars(scalar.anchor))] = Anchored{value, 1, text};
    return Place(std::move(value), event.start_mark, &text);
  }

  Status Open(const yaml_event_t& event, Json container, const yaml_char_t* anchor) {
    LLM_RETURN_IF_ERROR(Count(event.start_mark, 1));
    if (open_.size() >= kMaxDepth) {
      return Fail(event.start_mark, fmt::format("nested deeper than {} levels", kMaxDepth));
    }
    if (AwaitsKey()) return Fail(event.start_mark, "mapping keys must be strings");
    open_.push_back(OpenNode{std::move(container), std::string(Chars(anchor)), nodes_ - 1, event.start_mark, {}});
    return Ok();
  }

  Status Close() {
    OpenNode done = std::move(open_.back());
    open_.pop_back();
    if (!done.anchor.empty()) anchors_[done.anchor] = Anchored{done.value, nodes_ - done.nodes_before, {}};
    return Place(std::move(done.value), done.mark, nullptr);
  }

  Status Alias(const yaml_event_t& event) {
    const std::string name(Chars(event.data.alias.anchor));
    const auto found = anchors_.find(name);
    if (found == anchors_.end()) {
      const bool inside = std::any_of(open_.begin(), open_.end(), [&](const OpenNode& o) { return o.anchor == name; });
      return Fail(event.start_mark, inside ? fmt::format("the alias *{} is inside the node it names", name)
                                           : fmt::format("unknown anchor '{}'", name));
    }
    LLM_RETURN_IF_ERROR(Count(event.start_mark, found->second.nodes));
    const Anchored& anchored = found->second;
    return Place(anchored.value, event.start_mark, anchored.scalar ? &*anchored.scalar : nullptr);
  }

 private:
  struct OpenNode {
    Json value;               // the object or array being filled
    std::string anchor;       // "" when none
    size_t nodes_before = 0;  // nodes counted before it opened
    yaml_mark_t mark{};
    std::optional<std::string> key;  // a mapping's key waiting for its value
  };
  struct Anchored {
    Json value;
    size_t nodes = 0;                   // what one more copy adds to the count
    std::optional<std::string> scalar;  // its text, when it is a scalar (it may be a key)
  };

  Error Fail(const yaml_mark_t& mark, std::string_view what) const { return ErrorAt(source_, mark, what); }

  Status Count(const yaml_mark_t& mark, size_t nodes) {
    if (nodes > kMaxNodes - nodes_) return Fail(mark, "too many nodes (aliases expanding?)");
    nodes_ += nodes;
    return Ok();
  }

  bool AwaitsKey() const { return !open_.empty() && open_.back().value.is_object() && !open_.back().key; }

  /// Quoted and block scalars are strings; plain ones resolve by the core
  /// schema; an explicit core tag must fit the text.
  Result<Json> Resolve(const std::string& text, std::string_view tag, yaml_scalar_style_t style,
                       const yaml_mark_t& mark) const {
    if (tag.empty()) return style == YAML_PLAIN_SCALAR_STYLE ? ResolvePlainScalar(text) : Json(text);
    if (tag == "!" || (tag.starts_with(kCoreTagPrefix) && tag.substr(kCoreTagPrefix.size()) == "str")) {
      return Json(text);
    }
    if (!tag.starts_with(kCoreTagPrefix)) return Fail(mark, fmt::format("the tag '{}' is not supported", tag));
    Json value = ResolvePlainScalar(text);
    if (value.is_string()) return Fail(mark, fmt::format("the tag '{}' does not fit the value", tag));
    return value;
  }

  /// Puts a finished node where it belongs: the document, the next item of a
  /// sequence, a mapping's key (scalars only, `key_text`) or that key's value.
  Status Place(Json value, const yaml_mark_t& mark, const std::string* key_text) {
    if (open_.empty()) {
      document_ = std::move(value);
      return Ok();
    }
    OpenNode& parent = open_.back();
    if (parent.value.is_array()) {
      parent.value.push_back(std::move(value));
    } else if (!parent.key) {
      if (!key_text) return Fail(mark, "mapping keys must be strings");
      return PlaceKey(*key_text, mark);
    } else {
      // PlaceKey found no entry with this key: append it without looking again.
      parent.value.get_ref<Json::object_t&>().emplace_back(std::move(*parent.key), std::move(value));
      parent.key.reset();
    }
    return Ok();
  }

  /// Makes `key` the key of the open mapping's next entry: refused when it has one already.
  Status PlaceKey(std::string key, const yaml_mark_t& mark) {
    OpenNode& parent = open_.back();
    if (parent.value.contains(key)) return Fail(mark, fmt::format("duplicate key '{}'", key));
    parent.key = std::move(key);
    return Ok();
  }

  std::string_view source_;
  Json document_;
  std::vector<OpenNode> open_;
  std::map<std::string, Anchored> anchors_;
  size_t nodes_ = 0;
};

/// Where and why libyaml stopped.
Error ParseError(const yaml_parser_t& parser, std::string_view text, std::string_view source) {
  if (parser.error == YAML_MEMORY_ERROR) return Error(ErrorKind::kInternal, fmt::format("{}: out of memory", source));
  yaml_mark_t mark = parser.problem_mark;
  if (parser.error == YAML_READER_ERROR) {  // the reader knows a byte offset only
    const std::string_view before = text.substr(0, std::min(parser.problem_offset, text.size()));
    const size_t line_start = before.rfind('\n');
    mark.line = static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    mark.column = line_start == std::string_view::npos ? before.size() : before.size() - line_start - 1;
  }
  std::string what(parser.problem ? parser.problem : "not YAML");
  if (parser.context) what += fmt::format(", {} that starts on line {}", parser.context, parser.context_mark.line + 1);
  return ErrorAt(source, mark, what);
}

void Pad(std::string& out, int indent) { out.append(static_cast<size_t>(indent), ' '); }

void EmitString(std::string_view s, std::string& out) {
  if (IsSafePlainScalar(s)) {
    out.append(s);
  } else {
    out += YamlDoubleQuote(s);
  }
}

bool IsInline(const Json& v) { return !v.is_structured() || v.empty(); }

void EmitInline(const Json& v, std::string& out) {
  if (v.is_string()) {
    EmitString(v.get_ref<const std::string&>(), out);
  } else if (v.is_object()) {
    out += "{}";
  } else if (v.is_array()) {
    out += "[]";
  } else {
    out += v.dump();  // numbers, booleans and null print the same in YAML
  }
}

void EmitNode(const Json& v, int indent, bool first_inline, std::string& out);

void EmitMap(const Json& obj, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (const auto& [key, value] : obj.items()) {
    if (!(first && first_inline)) Pad(out, indent);
    first = false;
    EmitString(key, out);
    out += ':';
    if (IsInline(value)) {
      out += ' ';
      EmitInline(value, out);
      out += '\n';
    } else if (value.is_object()) {
      out += '\n';
      EmitMap(value, indent + 2, false, out);
    } else {
      out += '\n';
      EmitNode(value, indent, false, out);
    }
  }
}

void EmitSeq(const Json& arr, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (const Json& item : arr) {
    if (!(first && first_inline)) Pad(out, indent);
    first = false;
    out += "- ";
    if (IsInline(item)) {
      EmitInline(item, out);
      out += '\n';
    } else {
      EmitNode(item, indent + 2, true, out);
    }
  }
}

void EmitNode(const Json& v, int indent, bool first_inline, std::string& out) {
  if (v.is_object()) {
    EmitMap(v, indent, first_inline, out);
  } else if (v.is_array()) {
    EmitSeq(v, indent, first_inline, out);
  } else {
    EmitInline(v, out);
    out += '\n';
  }
}

}  // namespace

Result<std::vector<Json>> ParseYamlDocuments(std::string_view text, std::string_view source) {
  if (std::optional<std::vector<Json>> documents = ReadSimpleBlockYaml(text)) return std::move(*documents);
  return ParseYamlWithLibyaml(text, source);
}

Result<std::vector<Json>> ParseYamlWithLibyaml(std::string_view text, std::string_view source) {
  EventParser events(text);
  if (!events.ready()) return Error(ErrorKind::kInternal, fmt::format("{}: out of memory", source));
  DocumentBuilder builder(source);
  std::vector<Json> documents;
  while (true) {
    const yaml_event_t* event = events.Next();
    if (!event) return ParseError(events.parser(), text, source);
    switch (event->type) {
      case YAML_STREAM_END_EVENT:
        return documents;
      case YAML_DOCUMENT_START_EVENT:
        builder.StartDocument();
        break;
      case YAML_DOCUMENT_END_EVENT:
        if (Json document = builder.TakeDocument(); !document.is_null()) documents.push_back(std::move(document));
        break;
      case YAML_SCALAR_EVENT:
        LLM_RETURN_IF_ERROR(builder.Scalar(*event));
        break;
      case YAML_SEQUENCE_START_EVENT:
        LLM_RETURN_IF_ERROR(builder.Open(*event, Json::array(), event->data.sequence_start.anchor));
        break;
      case YAML_MAPPING_START_EVENT:
        LLM_RETURN_IF_ERROR(builder.Open(*event, Json::object(), event->data.mapping_start.anchor));
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        LLM_RETURN_IF_ERROR(builder.Close());
        break;
      case YAML_ALIAS_EVENT:
        LLM_RETURN_IF_ERROR(builder.Alias(*event));
        break;
      case YAML_STREAM_START_EVENT:
      case YAML_NO_EVENT:
        break;
    }
  }
}

std::string EmitYaml(const Json& value) {
  std::string out;
  EmitNode(value, 0, false, out);
  return out;
}

std::vector<nlohmann::json> ToApiObjects(const std::vector<Json>& objects) {
  std::vector<nlohmann::json> out;
  out.reserve(objects.size());
  for (const Json& object : objects) out.push_back(nlohmann::json(object));
  return out;
}

}  // namespace llm
