// llm-engine-sim: the engine simulator of the local cluster's pod network
// (tests/cluster/README.md). Runs inside the cluster's network namespace,
// where the whole pod CIDR is local, and answers on every pod IP:
//   llm-engine-sim --control DIR [--port N]...   (default port 8000)
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "engine_sim/http_server.h"
#include "engine_sim/simulator.h"

int main(int argc, char** argv) {
  std::string control;
  std::vector<int> ports;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--control") {
      control = argv[i + 1];
    } else if (flag == "--port") {
      ports.push_back(std::stoi(argv[i + 1]));
    } else {
      std::cerr << "usage: llm-engine-sim --control DIR [--port N]...\n";
      return 64;
    }
  }
  if (control.empty() || (argc % 2) == 0) {
    std::cerr << "usage: llm-engine-sim --control DIR [--port N]...\n";
    return 64;
  }
  if (ports.empty()) ports.push_back(8000);
  std::signal(SIGPIPE, SIG_IGN);
  llm::engine_sim::Simulator simulator(control);
  auto handler = [&simulator](const llm::engine_sim::HttpRequest& r) { return simulator.Handle(r); };
  std::vector<std::thread> listeners;
  for (size_t i = 1; i < ports.size(); ++i) {
    listeners.emplace_back([port = ports[i], &handler] {
      const std::string error = llm::engine_sim::Serve(port, handler);
      std::cerr << "llm-engine-sim: " << error << "\n";
      std::exit(1);
    });
  }
  std::cerr << "llm-engine-sim: serving on port " << ports[0] << " (control " << control << ")\n";
  const std::string error = llm::engine_sim::Serve(ports[0], handler);
  std::cerr << "llm-engine-sim: " << error << "\n";
  return 1;
}
