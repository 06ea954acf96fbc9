// libcurl, opened when a command first talks to a server rather than by the
// dynamic loader at start-up. Linked, libcurl and the ~30 libraries it needs
// (OpenSSL, HTTP/2, IDN, Kerberos, LDAP, SSH, ...) were mapped and relocated
// by every run, `version`, `render`, `completion` and `--help` included: most
// of their start-up time. The functions the transport calls, resolved once.
// The release opens its own module instead (LLM_CURL_MODULE,
// cli/net_module/kubectl_llm_net.cpp): a static libcurl with only HTTP(S)
// and the OpenSSL it uses (scripts/build-curl.sh), installed beside the
// plugin.
#pragma once

#include <cstddef>

#include <curl/curl.h>

#include "util/result.h"

namespace llm::kube {

/// The soname opened: libcurl's ABI 4, which every libcurl since 7.16 keeps.
inline constexpr char kCurlSoname[] = "libcurl.so.4";
/// The release's module, looked for beside the plugin's executable, then in
/// ../lib/kubectl-llm (where `cmake --install` and the Debian package put it).
inline constexpr char kNetModuleName[] = "kubectl-llm-net.so";

/// The release's module fills this in (llm_net_module_v1): a change to its
/// fields is a new version of that function's name, so a module from another
/// release is refused by name rather than read with the wrong layout.
struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_url) url;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_free) free;
  // One multi handle drives the transport's requests, so they share one
  // connection and a batch goes out together on it (HTTP/2 streams).
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_info_read) multi_info_read;
  /// True for the release's own libcurl, which has no CA bundle path compiled in
  /// (a distribution's libcurl has its own): the transport then gives it the
  /// system's (kube/system_trust_store.h) when the kubeconfig names no CA.
  bool needs_system_trust_store;
  /// OpenSSL's SSL_CTX_ctrl, from the TLS library this libcurl uses, or
  /// nullptr when it uses another (the transport then leaves OpenSSL's modes
  /// as libcurl sets them; see KeepTlsReadBuffers in curl_transport.cpp).
  long (*ssl_ctx_ctrl)(void* ssl_ctx, int command, long argument, void* pointer);
  /// The module's SHA-256 (kube/sha256.h), as the release links no OpenSSL
  /// into the program; nullptr for a system libcurl (the program's own OpenSSL).
  void (*sha256)(const void* data, size_t size, unsigned char* digest);
};

/// Opens kCurlSoname (the release: kNetModuleName) and resolves every
/// function, once per process (thread safe), with curl_global_init done. When
/// it is missing or too old, an Error that names it and what provides it.
Result<const CurlLibrary*> LoadCurl();

}  // namespace llm::kube
