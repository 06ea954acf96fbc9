// The last check before output: every rendered (and patched) object must look
// like a Kubernetes object a server would accept by name and labels.
#pragma once

#include <string_view>

#include "util/result.h"
#include "util/yaml_document.h"

namespace llm {

/// apiVersion ("v1" or "group/version"), kind (CamelCase), metadata.name (a
/// DNS-1123 subdomain; a DNS-1035 label for Services), metadata.namespace (a
/// DNS-1123 label), and every labels/annotations/matchLabels map found in the
/// object (keys and values of label syntax, annotation values strings).
/// `where` names the document in messages.
Status CheckManifest(const Json& object, std::string_view where);

}  // namespace llm
