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

/// The Accept header of a metadata-only list (kubectl get -o name's): the
/// server sends a PartialObjectMetadataList, or plain JSON if it cannot.
inline constexpr char kMetadataListAccept[] =
    "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

/// What each item of a page holds.
enum class ListItems {
  kObjects,
  /// PartialObjectMetadata (metadata only: no spec, data or status), for
  /// callers that need labels and annotations of many large objects.
  kMetadataOnly,
};

/// options.limit is the page size (0: one request for everything). An expired
/// continue token (410) is an error here: callers cannot un-see earlier pages.
/// The request for one page of `collection` (after `cont`, the previous page's
/// continue token; "" for the first), as ForEachListPage and RestClient::List send it.
HttpRequest ListPageRequest(const ResourceRef& collection, const ListOptions& options, const std::string& cont,
                            ListItems items);

Status ForEachListPage(RestClient& client, const ResourceRef& ref, const ListOptions& options,
                       const ListPageFn& on_page, ListItems items = ListItems::kObjects);

}  // namespace llm::kube
