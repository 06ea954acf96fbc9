#include "render/manifest_patch.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace llm {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// RFC 6902 adds a value (add, move, copy) only inside an object or an array;
/// nlohmann's patch asserts when the parent is a scalar instead of throwing
/// (found by tests/fuzz/patch_fuzzer.cpp: a move into "/kind/r"), so each such
/// operation is checked against the document the operations before it left.
Status CheckAddParent(const Json& doc, const Json& operation, size_t index) {
  if (!operation.is_object() || !operation.contains("path") || !operation["path"].is_string()) return Ok();
  const std::string op = operation.value("op", "");
  if (op != "add" && op != "move" && op != "copy") return Ok();
  const Json::json_pointer target(operation["path"].get<std::string>());  // a bad pointer throws, as patch would
  if (target.empty()) return Ok();
  const Json::json_pointer parent = target.parent_pointer();
  if (!doc.contains(parent) || doc[parent].is_structured() || doc[parent].is_null()) return Ok();
  return Error(ErrorKind::kUsage,
               fmt::format("operation {} ({} to \"{}\"): \"{}\" is a {}, not an object or a list", index, op,
                           target.to_string(), parent.to_string(), doc[parent].type_name()));
}

}  // namespace

Result<PatchTarget> ParsePatchFlag(std::string_view text) {
  const size_t slash = text.find('/');
  const size_t eq = text.find('=');
  if (slash == std::string_view::npos || eq == std::string_view::npos || slash == 0 || eq < slash + 2 ||
      eq + 1 == text.size()) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--patch: expected KIND/NAME=FILE (e.g. deployment/chat=patch.yaml), got '{}'", text));
  }
  return PatchTarget{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1, eq - slash - 1)),
                     std::string(text.substr(eq + 1))};
}

Status ApplyManifestPatch(std::vector<Json>& manifests, const PatchTarget& target, std::string_view patch_text) {
  const std::string flag = fmt::format("--patch {}/{}={}", target.kind, target.name, target.file);
  Json* object = nullptr;
  std::string available;
  for (Json& m : manifests) {
    const std::string kind = m.value("kind", "");
    const std::string name = m.contains("metadata") ? m["metadata"].value("name", "") : "";
    available += fmt::format("{}{}/{}", available.empty() ? "" : ", ", kind, name);
    if (EqualsIgnoreCase(kind, target.kind) && name == target.name) object = &m;
  }
  if (object == nullptr) {
    return Error(ErrorKind::kUsage,
                 fmt::format("{}: no rendered object {}/{}; rendered: {}", flag, target.kind, target.name, available));
  }
  // A file that is not YAML is a bad --patch like any other (found by
  // tests/fuzz/patch_fuzzer.cpp: the error named only the file).
  auto parsed = ParseYamlDocuments(patch_text, target.file);
  if (!parsed.ok()) return Error(ErrorKind::kUsage, fmt::format("{}: {}", flag, parsed.error().message()));
  const std::vector<Json>& docs = *parsed;
  if (docs.size() != 1 || !docs[0].is_structured()) {
    return Error(ErrorKind::kUsage,
                 fmt::format("{}: the file must hold one JSON Patch (a list) or JSON Merge Patch (a mapping)", flag));
  }
  Json patched = *object;
  try {
    if (docs[0].is_array()) {
      for (size_t i = 0; i < docs[0].size(); ++i) {
        if (Status fits = CheckAddParent(patched, docs[0][i], i); !fits.ok()) {
          return Error(ErrorKind::kUsage, fmt::format("{}: {}", flag, fits.error().message()));
        }
        patched = patched.patch(Json::array({docs[0][i]}));
      }
    } else {
      patched.merge_patch(docs[0]);
    }
  } catch (const nlohmann::json::exception& e) {
    return Error(ErrorKind::kUsage, fmt::format("{}: {}", flag, e.what()));
  }
  // A patch adjusts the object it names; turning it into another object would
  // apply something outside the ApplySet's rendered set and leave the named
  // one out (kubectl patch refuses the same). A namespace moved by a patch is
  // left to the apply, which refuses it against an explicit -n as kubectl does.
  for (auto [field, path] : {std::pair{"apiVersion", "/apiVersion"}, std::pair{"kind", "/kind"},
                             std::pair{"metadata.name", "/metadata/name"}}) {
    const Json::json_pointer pointer(path);
    const Json before = object->contains(pointer) ? (*object)[pointer] : Json();
    const Json after = patched.contains(pointer) ? patched[pointer] : Json();
    if (before != after) {
      return Error(ErrorKind::kUsage,
                   fmt::format("{}: the patch may not change {} (from {} to {}); it may change any other field", flag,
                               field, before.dump(), after.dump()));
    }
  }
  *object = std::move(patched);
  return Ok();
}

}  // namespace llm
