#include "kube/curl_library.h"

#include <dlfcn.h>
#include <sys/auxv.h>

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include <fmt/format.h>

namespace llm::kube {
namespace {

#ifdef LLM_CURL_MODULE
Result<CurlLibrary> Open() {
  // Where the plugin was installed, through any symlink (krew links its
  // bin/kubectl-llm to the unpacked archive, which holds the module too); the
  // path it was started by where /proc is not mounted (a chroot).
  std::error_code error;
  std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    const auto* started_as = reinterpret_cast<const char*>(getauxval(AT_EXECFN));
    program = std::filesystem::weakly_canonical(started_as != nullptr ? started_as : "", error);
  }
  if (!program.is_absolute()) {
    // Never a bare name, which dlopen would look for in the system's library path.
    return Error(ErrorKind::kInternal,
                 "kubectl-llm cannot tell where it is installed (neither /proc/self/exe nor "
                 "the path it was started by names it), so cannot find its network module, " +
                     std::string(kNetModuleName));
  }
  const std::filesystem::path beside = program.parent_path() / kNetModuleName;
  const std::filesystem::path installed = program.parent_path() / "../lib/kubectl-llm" / kNetModuleName;
  std::string why;
  for (const std::filesystem::path& path : {beside, installed}) {
    // Never closed: its handles and connections live until the process ends.
    void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      if (const char* e = dlerror(); why.empty() && e != nullptr) why = e;
      continue;
    }
    auto fill = reinterpret_cast<void (*)(CurlLibrary*)>(dlsym(module, "llm_net_module_v1"));
    if (fill == nullptr) {
      return Error(ErrorKind::kInternal, fmt::format("{} is not this kubectl-llm's network module (no "
                                                     "llm_net_module_v1): reinstall kubectl-llm",
                                                     path.string()));
    }
    CurlLibrary c{};
    fill(&c);
    c.global_init(CURL_GLOBAL_DEFAULT);
    return c;
  }
  return Error(ErrorKind::kInternal,
               fmt::format("kubectl-llm talks to the API server through its network module, {}, found neither "
                           "in {} nor in {} ({}): reinstall kubectl-llm, keeping the files of its archive together",
                           kNetModuleName, program.parent_path().string(),
                           installed.parent_path().lexically_normal().string(), why));
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
  c.sha256 = nullptr;  // the program's own OpenSSL (kube/sha256.cpp)
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
