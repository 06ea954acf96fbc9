// Small builders for the mustache view model. Templates only lay data out; the
// C++ workloads decide everything, so the view is plain strings, lists and
// booleans. Optional strings are set to false when absent: a missing key would
// make mustache look it up in enclosing contexts and find an unrelated value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

namespace llm {

using ViewData = kainjow::mustache::data;

inline ViewData ViewList() { return ViewData(ViewData::type::list); }

/// Sets an object view's `key` to `value`, moved in. kainjow's own set() and
/// push_back() copy: a nested view (a pod's, a list of pairs) was copied whole
/// at every level it went into, a tenth of what a render spent on its view.
inline void ViewSet(ViewData& object, const std::string& key, ViewData value) { object[key] = std::move(value); }

/// Appends `item` to a list view, moved in.
inline void ViewAppend(ViewData& list, ViewData item) {
  // kainjow offers no mutable access to a list's items; the list itself is the
  // caller's own object, not a const one, so appending through it is sound.
  const_cast<kainjow::mustache::list&>(list.list_value()).push_back(std::move(item));
}

/// A string, or false when absent.
inline ViewData ViewOptional(const std::optional<std::string>& value) {
  return value ? ViewData(*value) : ViewData(false);
}

/// A list of {key, value} objects, in the map's (sorted) order.
inline ViewData ViewPairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  ViewData list = ViewList();
  for (const auto& [k, v] : pairs) {
    ViewData item;
    ViewSet(item, "key", k);
    ViewSet(item, "value", v);
    ViewAppend(list, std::move(item));
  }
  return list;
}

inline ViewData ViewPairs(const std::map<std::string, std::string>& map) {
  return ViewPairs(std::vector<std::pair<std::string, std::string>>(map.begin(), map.end()));
}

inline ViewData ViewStrings(const std::vector<std::string>& items) {
  ViewData list = ViewList();
  for (const std::string& item : items) ViewAppend(list, ViewData(item));
  return list;
}

/// Integers are laid out with {{{triple}}} mustaches so they stay YAML integers;
/// they only ever come from here, never from user text.
inline ViewData ViewInt(long long v) { return ViewData(std::to_string(v)); }

/// An integer, or false when absent (a template's {{#key}} section then drops the field).
inline ViewData ViewOptionalInt(const std::optional<long long>& v) { return v ? ViewInt(*v) : ViewData(false); }

}  // namespace llm
