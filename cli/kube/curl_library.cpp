#include "kube/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <optional>
#include <string>

#include <fmt/format.h>
#ifdef LLM_CURL_LINKED
#include <openssl/ssl.h>
#endif

namespace llm::kube {
namespace {

#ifdef LLM_CURL_LINKED
Result<CurlLibrary> Open() {
  CurlLibrary c{&curl_global_init,
                &curl_easy_init,
                &curl_easy_reset,
                &curl_easy_cleanup,
                &curl_easy_setopt,
                &curl_easy_perform,
                &curl_easy_getinfo,
                &curl_easy_strerror,
                &curl_slist_append,
                &curl_slist_free_all,
                &curl_url,
                &curl_url_set,
                &curl_url_get,
                &curl_url_cleanup,
                &curl_free,
                &curl_multi_init,
                &curl_multi_cleanup,
                &curl_multi_add_handle,
                &curl_multi_remove_handle,
                &curl_multi_perform,
                &curl_multi_poll,
                &curl_multi_info_read,
                /*needs_system_trust_store=*/true,
                [](void* ssl_ctx, int command, long argument, void* pointer) {
                  return SSL_CTX_ctrl(static_cast<SSL_CTX*>(ssl_ctx), command, argument, pointer);
                }};
  c.global_init(CURL_GLOBAL_DEFAULT);
  return c;
}
#else
/// Resolves `name` into `slot`; false (and `missing` names it) when absent.
template <typename Fn>
bool Resolve(void* library, const char* name, Fn& slot, std::string& missing) {
  slot = reinterpret_cast<Fn>(dlsym(library, name));
  if (slot == nullptr && missing.empty()) missing = name;
  return slot != nullptr;
}

Result<CurlLibrary> Open() {
  // Never closed: its handles and connections live until the process ends.
  void* library = dlopen(kCurlSoname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    return Error(ErrorKind::kInternal,
                 fmt::format("kubectl-llm talks to the API server through libcurl, and {} could not be loaded ({}): "
                             "install libcurl 7.77 or newer (Debian and Ubuntu: apt-get install libcurl4; Fedora: "
                             "dnf install libcurl)",
                             kCurlSoname, why ? why : "not found"));
  }
  CurlLibrary c{};
  std::string missing;
  Resolve(library, "curl_global_init", c.global_init, missing);
  Resolve(library, "curl_easy_init", c.easy_init, missing);
  Resolve(library, "curl_easy_reset", c.easy_reset, missing);
  Resolve(library, "curl_easy_cleanup", c.easy_cleanup, missing);
  Resolve(library, "curl_easy_setopt", c.easy_setopt, missing);
  Resolve(library, "curl_easy_perform", c.easy_perform, missing);
  Resolve(library, "curl_easy_getinfo", c.easy_getinfo, missing);
  Resolve(library, "curl_easy_strerror", c.easy_strerror, missing);
  Resolve(library, "curl_slist_append", c.slist_append, missing);
  Resolve(library, "curl_slist_free_all", c.slist_free_all, missing);
  Resolve(library, "curl_url", c.url, missing);
  Resolve(library, "curl_url_set", c.url_set, missing);
  Resolve(library, "curl_url_get", c.url_get, missing);
  Resolve(library, "curl_url_cleanup", c.url_cleanup, missing);
  Resolve(library, "curl_free", c.free, missing);
  Resolve(library, "curl_multi_init", c.multi_init, missing);
  Resolve(library, "curl_multi_cleanup", c.multi_cleanup, missing);
  Resolve(library, "curl_multi_add_handle", c.multi_add_handle, missing);
  Resolve(library, "curl_multi_remove_handle", c.multi_remove_handle, missing);
  Resolve(library, "curl_multi_perform", c.multi_perform, missing);
  Resolve(library, "curl_multi_poll", c.multi_poll, missing);
  Resolve(library, "curl_multi_info_read", c.multi_info_read, missing);
  if (!missing.empty()) {
    return Error(ErrorKind::kInternal,
                 fmt::format("the libcurl found as {} has no {}: install libcurl 7.77 or newer", kCurlSoname, missing));
  }
  c.needs_system_trust_store = false;
  // Optional: found in libcurl's own libssl when it is built on OpenSSL.
  c.ssl_ctx_ctrl = reinterpret_cast<decltype(c.ssl_ctx_ctrl)>(dlsym(library, "SSL_CTX_ctrl"));
  c.global_init(CURL_GLOBAL_DEFAULT);
  return c;
}
#endif

}  // namespace

Result<const CurlLibrary*> LoadCurl() {
  static std::once_flag once;
  static std::optional<Result<CurlLibrary>> loaded;
  std::call_once(once, [] { loaded.emplace(Open()); });
  if (!loaded->ok()) return loaded->error();
  return &loaded->value();
}

}  // namespace llm::kube
