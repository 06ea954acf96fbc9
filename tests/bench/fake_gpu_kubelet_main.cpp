// fake_gpu_kubelet: FakeGpuKubelet as a program, for benchmarks against the
// local control plane. Ends every gpu-check pod kwok made Running with the
// summary llm-gpu-check writes; runs until SIGINT or SIGTERM.
//   fake_gpu_kubelet --kubeconfig FILE [-n NS] [--fail NODE]... [--silent NODE]...
#include <csignal>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include "integration/fake_gpu_kubelet.h"
#include "kube/client_factory.h"

/// Answers sent at once (FakeGpuKubelet's senders).
constexpr int kSenders = 8;

int main(int argc, char** argv) {
  using llm::testing::FakeOutcome;
  llm::kube::ConfigFlags flags;
  std::string ns;
  std::set<std::string> fail, silent;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--kubeconfig")
      flags.kubeconfig = value;
    else if (flag == "-n")
      ns = value;
    else if (flag == "--fail")
      fail.insert(value);
    else if (flag == "--silent")
      silent.insert(value);
    else {
      std::cerr << "usage: fake_gpu_kubelet --kubeconfig FILE [-n NS] [--fail NODE]... [--silent NODE]...\n";
      return 64;
    }
  }
  // Block the stop signals before the watch thread starts, so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::istringstream in;
  llm::IoStreams streams{in, std::cout, std::cerr};
  // It answers for every node at once, as thousands of kubelets would, each
  // with a client of its own. One client at the default 20 requests a second,
  // sending one answer at a time, queued the answers: with 100 self-tests
  // running, each waited 5 s for its turn, and that paced the whole benchmark.
  llm::kube::ClientEnvironment environment;
  environment.qps = 1000;
  environment.burst = 2000;
  auto connection = llm::kube::Connect(flags, streams, environment);
  if (!connection.ok()) {
    std::cerr << "fake_gpu_kubelet: " << connection.error().message() << "\n";
    return 1;
  }
  llm::testing::FakeGpuKubelet kubelet(
      connection->client, ns,
      [&](const std::string& node) {
        if (silent.contains(node)) return FakeOutcome::kSilent;
        return fail.contains(node) ? FakeOutcome::kFail : FakeOutcome::kPass;
      },
      /*own_nodes=*/{}, /*senders=*/kSenders);
  int signal = 0;
  sigwait(&stop_signals, &signal);
  kubelet.Stop();
  std::cerr << "fake_gpu_kubelet: answered " << kubelet.answered() << " pods";
  if (!kubelet.error().empty()) std::cerr << "; first error: " << kubelet.error();
  std::cerr << "\n";
  return kubelet.error().empty() ? 0 : 1;
}
