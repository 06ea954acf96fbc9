// Lists a collection page by page (limit + continue) and hands each page to a
// callback, so a caller that needs a few fields of thousands of objects never
// holds the whole list (RestClient::List keeps every item).
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"

namespace llm::kube {

/// `page` is one List response; the callback may move items out of it.
using ListPageFn = std::function<Status(nlohmann::json& page)>;

/// options.limit is the page size (0: one request for everything). An expired
/// continue token (410) is an error here: callers cannot un-see earlier pages.
Status ForEachListPage(RestClient& client, const ResourceRef& ref, const ListOptions& options,
                       const ListPageFn& on_page);

}  // namespace llm::kube
