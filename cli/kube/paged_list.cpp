#include "kube/paged_list.h"

#include "kube/url_query.h"

namespace llm::kube {

HttpRequest ListPageRequest(const ResourceRef& collection, const ListOptions& options, const std::string& cont,
                            ListItems items) {
  QueryParams query;
  if (!options.label_selector.empty()) query.emplace_back("labelSelector", options.label_selector);
  if (!options.field_selector.empty()) query.emplace_back("fieldSelector", options.field_selector);
  if (options.limit > 0) query.emplace_back("limit", std::to_string(options.limit));
  if (!cont.empty()) {
    query.emplace_back("continue", cont);  // a continue token fixes the snapshot; no resourceVersion with it
  } else if (!options.resource_version.empty()) {
    query.emplace_back("resourceVersion", options.resource_version);
  }
  HttpRequest request;
  request.path = collection.Path() + EncodeQuery(query);
  if (items == ListItems::kMetadataOnly) request.headers.emplace_back("Accept", kMetadataListAccept);
  return request;
}

Status ForEachListPage(RestClient& client, const ResourceRef& ref, const ListOptions& options,
                       const ListPageFn& on_page, ListItems items) {
  ResourceRef collection = ref;
  collection.name.clear();
  std::string cont;
  do {
    HttpRequest request = ListPageRequest(collection, options, cont, items);
    LLM_ASSIGN_OR_RETURN(HttpResponse response, client.Do(std::move(request)));
    nlohmann::json page = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (!page.is_object()) {
      return Error(ErrorKind::kServer, "Server returned an unexpected response: the list of " +
                                           collection.GroupResource() + " is not a JSON object");
    }
    cont.clear();
    if (const auto meta = page.find("metadata"); meta != page.end() && meta->is_object()) {
      cont = meta->value("continue", "");
    }
    if (!page.contains("items") || !page["items"].is_array()) page["items"] = nlohmann::json::array();
    KeepListedItems(page, options);
    LLM_RETURN_IF_ERROR(on_page(page));
  } while (!cont.empty());
  return Ok();
}

}  // namespace llm::kube
