// The release's network module, kubectl-llm-net.so: libcurl with the OpenSSL,
// nghttp2 and zlib it needs, all linked in here rather than into kubectl-llm.
// Linked into the program, OpenSSL's tables of function pointers (19,000
// pointers) were relocated by every run, `version` and `render` included: 110
// page faults and 0.4 ms of a 2 ms start (tests/bench/render_bench.sh). Here
// they are relocated only by a command that talks to a server, which opens
// the module at its first request (kube/curl_library.h). Its one export fills
// in the functions the plugin calls; nothing else is visible outside it.
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "kube/curl_library.h"

extern "C" __attribute__((visibility("default"))) void llm_net_module_v1(llm::kube::CurlLibrary* out) {
  *out = llm::kube::CurlLibrary{&curl_global_init,
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
                                },
                                [](const void* data, size_t size, unsigned char* digest) {
                                  EVP_Digest(data, size, digest, nullptr, EVP_sha256(), nullptr);
                                }};
}
