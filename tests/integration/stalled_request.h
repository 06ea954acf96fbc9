// StalledRequest: a POST whose body never finishes arriving, so the API server
// keeps it executing until the test lets go. API Priority and Fairness counts
// a request against its priority level's seats from admission until the
// handler returns; this handler is authorized, then blocks reading the body.
// (Watches and other long-running requests would not do: APF does not hold
// seats for them past their start, and a quick request frees its seat within
// milliseconds.) The server ends it by itself only at --request-timeout (60 s).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace llm::testing {

class StalledRequest {
 public:
  /// Starts POST `url` on a thread of its own, authenticated by `bearer_token`,
  /// trusting the CA in `ca_file`. The declared body is never completed.
  StalledRequest(std::string url, std::string ca_file, std::string bearer_token);
  /// Release()s.
  ~StalledRequest();
  StalledRequest(const StalledRequest&) = delete;
  StalledRequest& operator=(const StalledRequest&) = delete;

  /// Aborts the request (the connection closes, so the server's handler fails
  /// reading the body and returns) and waits for the thread. Idempotent.
  void Release();

 private:
  void Run();
  static size_t ReadBody(char* buffer, size_t size, size_t count, void* self);

  std::string url_;
  std::string ca_file_;
  std::string authorization_;
  std::mutex mu_;
  std::condition_variable released_cv_;
  bool released_ = false;
  bool sent_opening_ = false;
  std::thread thread_;
};

}  // namespace llm::testing
