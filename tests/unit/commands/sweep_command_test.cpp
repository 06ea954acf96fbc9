// `kubectl llm sweep` against a fake API server whose "Job controller" runs
// between the sweep's looks (each sleep): --parallel is never exceeded, every
// trial is created once, results are read from termination messages and
// ranked; a rerun resumes; changed flags are refused; --queue creates all at
// once; bad input creates nothing.
#include "commands/sweep_command.h"

#include <cmath>
#include <functional>
#include <sstream>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_rest_client.h"
#include "kube/discovery.h"
#include "kube/waiter.h"

namespace llm {
namespace {

using nlohmann::json;
using testing::FakeRestClient;

/// Time that moves only in sleeps, and runs `between_looks` at each one: the
/// cluster's controllers acting while the sweep waits.
class ControllerClock final : public Clock {
 public:
  std::function<void()> between_looks;
  std::chrono::system_clock::time_point Now() const override { return wall_; }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::time_point(mono_);
  }
  void SleepFor(std::chrono::nanoseconds duration) override {
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
    mono_ += duration;
    ++sleeps;
    if (between_looks) between_looks();
  }
  int sleeps = 0;

 private:
  std::chrono::system_clock::time_point wall_ = std::chrono::system_clock::from_time_t(1'800'000'000);
  std::chrono::nanoseconds mono_{1'000'000'000};
};

kube::ResourceRef JobRef(const std::string& name = "") { return {"batch", "v1", "jobs", "ml", name, ""}; }
kube::ResourceRef PodRef(const std::string& name = "") { return {"", "v1", "pods", "ml", name, ""}; }

struct Fixture {
  FakeRestClient client;
  ControllerClock clock;
  kube::Discovery discovery{client, nullptr, clock, kube::DiscoveryOptions{}};
  kube::RestMapper mapper{discovery};
  kube::Waiter waiter{client, clock};
  kube::Applier applier{client, mapper, waiter};
  std::ostringstream out, err;
  std::istringstream in;
  std::optional<int> exit_code;
  int most_running = 0;        ///< the most trials running at any look
  bool write_messages = true;  ///< false: the trainer's termination message stays empty
  std::vector<std::string> started;

  Fixture() {
    testing::ServeAggregatedDiscovery(client);
    // A Job controller and kubelet in one: a job seen for the first time starts
    // (a pod of its trial runs); seen again, it completes, its trainer's
    // termination message saying val_loss = |trial - 4| + 0.5.
    clock.between_looks = [this] {
      REQUIRE_MESSAGE(clock.sleeps < 200, "the sweep never ended: ", out.str());
      auto jobs = client.List(JobRef(), {});
      REQUIRE(jobs.ok());
      int running = 0;
      for (const json& listed : (*jobs)["items"]) {
        const std::string name = listed["metadata"]["name"];
        json job = *client.Find(JobRef(name));  // as stored: a List's items carry no kind
        if (job["status"].contains("completionTime")) continue;
        ++running;
        const int trial = std::stoi(job["metadata"]["labels"]["kubectl-llm.dev/trial"].get<std::string>());
        json pod = {{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata",
                     {{"name", name + "-0-x"},
                      {"namespace", "ml"},
                      {"labels", job["spec"]["template"]["metadata"]["labels"]},
                      {"annotations", {{"batch.kubernetes.io/job-completion-index", "0"}}}}}};
        if (!job["status"].contains("startTime")) {
          job["status"] = {{"startTime", "2027-01-15T08:00:00Z"}, {"active", 1}};
          pod["status"] = {{"phase", "Running"}};
          started.push_back(name);
        } else {
          job["status"]["completionTime"] = "2027-01-15T08:01:00Z";
          job["status"]["succeeded"] = 1;
          job["status"]["active"] = 0;
          job["status"]["conditions"] = json::array({{{"type", "Complete"}, {"status", "True"}}});
          pod["status"] = {
              {"phase", "Succeeded"},
              {"containerStatuses",
               json::array({{{"name", "trainer"},
                             {"state",
                              {{"terminated",
                                {{"exitCode", 0},
                                 {"message", write_messages ? fmt::format("val_loss={}", std::abs(trial - 4) + 0.5)
                                                            : std::string()}}}}}}})}};
        }
        client.Put(JobRef(name), job);
        client.Put(PodRef(name + "-0-x"), pod);
      }
      most_running = std::max(most_running, running);
    };
  }

  SweepOptions Options(std::vector<std::string> params, int trials, int parallel) {
    SweepOptions options;
    options.render.request.workload = "train";
    options.render.request.name = "lr";
    options.render.request.flags = {{"image", {"img:1"}}};
    options.render.request.trailing = {"torchrun", "t.py", "--lr", "{lr}", "--wd", "{wd}"};
    options.params = std::move(params);
    options.trials = trials;
    options.parallel = parallel;
    options.metric = "val_loss";
    options.skip_preflight = true;
    options.poll_interval = std::chrono::seconds(2);
    return options;
  }

  Status Run(const SweepOptions& options) {
    SweepCluster cluster{client, mapper, applier, "ml", true, std::set<std::string, std::less<>>{}, clock};
    return RunSweep(options, cluster, IoStreams{in, out, err}, exit_code);
  }

  std::vector<std::string> Applied() const {
    std::vector<std::string> applied;
    for (const std::string& call : client.calls()) {
      if (call.rfind("APPLY jobs.batch ", 0) == 0) applied.push_back(call.substr(call.rfind('/') + 1));
    }
    return applied;
  }
};

TEST_CASE("sweep: 3 x 2 trials, 2 at a time, each created once, results ranked from termination messages") {
  Fixture f;
  Status ran = f.Run(f.Options({"lr=1e-4,3e-4,1e-3", "wd=loguniform:1e-5:1e-1"}, 2, 2));
  REQUIRE_MESSAGE(ran.ok(), (ran.ok() ? "" : ran.error().message()));
  CHECK_FALSE(f.exit_code.has_value());
  CHECK(f.most_running == 2);

  CHECK(f.Applied() == std::vector<std::string>{"lr-1", "lr-2", "lr-3", "lr-4", "lr-5", "lr-6"});
  CHECK(f.started == std::vector<std::string>{"lr-1", "lr-2", "lr-3", "lr-4", "lr-5", "lr-6"});
  const std::string out = f.out.str();
  CHECK(out.rfind("sweep lr: 6 trials, 2 at a time, best by min val_loss\n", 0) == 0);
  CHECK(out.find("trial 1 started: lr=1e-4 wd=") != std::string::npos);
  CHECK(out.find("(job.batch/lr-1)\n") != std::string::npos);
  CHECK(out.find("trial 4 completed in 60s: val_loss=0.5\n") != std::string::npos);
  // Best first: trial 4 (0.5), then 3 and 5 (1.5), 2 and 6 (2.5), 1 (3.5).
  const size_t table = out.find("TRIAL   NAME");
  REQUIRE(table != std::string::npos);
  std::vector<std::string> order;
  std::istringstream lines(out.substr(table));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) order.push_back(line.substr(0, line.find(' ')));
  CHECK(order == std::vector<std::string>{"4", "3", "5", "2", "6", "1"});
  // The trials are members of the one ApplySet "lr": delete lr removes them all.
  for (const std::string& name : {"lr-1", "lr-6"}) {
    CHECK(f.client.Find(JobRef(name)).value()["metadata"]["labels"].contains("applyset.kubernetes.io/part-of"));
  }
  REQUIRE(f.client.Find({"", "v1", "secrets", "ml", "lr", ""}).has_value());
}

TEST_CASE("sweep: run again, it creates only the missing trials, and other flags are refused before anything") {
  Fixture f;
  REQUIRE(f.Run(f.Options({"lr=1,2,3", "wd=uniform:0:1"}, 1, 3)).ok());
  REQUIRE(f.client.Delete(JobRef("lr-2"), {}).ok());
  const size_t before = f.Applied().size();
  f.out.str("");
  REQUIRE(f.Run(f.Options({"lr=1,2,3", "wd=uniform:0:1"}, 1, 3)).ok());
  const std::vector<std::string> applied_again = f.Applied();
  CHECK(std::vector<std::string>(applied_again.begin() + static_cast<std::ptrdiff_t>(before), applied_again.end()) ==
        std::vector<std::string>{"lr-2"});
  CHECK(f.out.str().find("(2 exist already)") != std::string::npos);

  SweepOptions other = f.Options({"lr=1,2,3", "wd=uniform:0:1"}, 1, 3);
  other.seed = 99;
  const size_t applied = f.Applied().size();
  Status refused = f.Run(other);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind() == ErrorKind::kConflict);
  CHECK(refused.error().message().find("sweep lr has trial ") == 0);
  CHECK(refused.error().message().find("give the same --param, --trials and --seed to resume it, or remove it first "
                                       "(kubectl llm delete lr)") != std::string::npos);
  CHECK(f.Applied().size() == applied);
}

TEST_CASE("sweep: a trial whose termination message holds no metric is read from its log's last 100 lines") {
  Fixture f;
  f.write_messages = false;
  f.client.routes.On("GET", "/api/v1/namespaces/ml/pods/lr-1-0-x/log?container=trainer&tailLines=100",
                     testing::JsonResponse("step 90\nval_loss=0.75\nsaved\n", "text/plain"));
  Status ran = f.Run(f.Options({"lr=1,2", "wd=uniform:0:1"}, 1, 2));
  REQUIRE(ran.ok());  // one trial has a metric
  const std::string out = f.out.str();
  CHECK(out.find("trial 1 completed in 60s: val_loss=0.75\n") != std::string::npos);
  // lr-2's log (no route: 404) has none.
  CHECK(out.find("trial 2 completed in 60s, but printed no val_loss= line (read from its termination message and "
                 "last 100 log lines)\n") != std::string::npos);
  CHECK(out.find("\n1       lr-1   Completed   0.75") != std::string::npos);
}

TEST_CASE("sweep --queue: every trial is created at once, Kueue decides") {
  Fixture f;
  SweepOptions options = f.Options({"lr=1,2,3", "wd=uniform:0:1"}, 2, 1);
  options.render.request.flags["queue"] = {"team-a"};
  int seen_at_first_look = -1;
  auto controller = f.clock.between_looks;
  f.clock.between_looks = [&] {
    if (seen_at_first_look < 0) seen_at_first_look = static_cast<int>(f.client.List(JobRef(), {})->at("items").size());
    controller();
  };
  REQUIRE(f.Run(options).ok());
  CHECK(seen_at_first_look == 6);
  CHECK(f.out.str().rfind("sweep lr: 6 trials, queued in LocalQueue team-a, best by min val_loss\n", 0) == 0);
  CHECK(f.out.str().find("trial 6 queued: lr=3 wd=") != std::string::npos);
  CHECK(f.client.Find(JobRef("lr-1")).value()["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "team-a");
}

TEST_CASE("sweep: bad input names the flag and creates nothing") {
  struct Case {
    std::function<void(SweepOptions&)> change;
    std::string error;
  };
  const std::vector<Case> cases = {
      {[](SweepOptions& o) { o.parallel = 0; }, "--parallel must be at least 1, got 0"},
      {[](SweepOptions& o) { o.metric = ""; }, "--metric is required"},
      {[](SweepOptions& o) { o.metric = "val loss"; }, "--metric val loss: a metric name starts with a letter"},
      {[](SweepOptions& o) { o.mode = "lowest"; }, "--mode must be min or max, got \"lowest\""},
      {[](SweepOptions& o) {
         o.params = {"lr=1,2", "wd=normal:0:1"};
       },
       "--param wd=normal:0:1: unknown distribution"},
      {[](SweepOptions& o) {
         o.params = {"lr=", "wd=uniform:0:1"};
       },
       "--param lr=: the grid has an empty value"},
      {[](SweepOptions& o) { o.params = {"lr=1,2"}; }, "the command reads {wd}, which no --param defines"},
      {[](SweepOptions& o) { o.params.push_back("bs=16,32"); }, "--param bs is not used by the command"},
      {[](SweepOptions& o) { o.render.request.trailing.clear(); }, "sweep needs the trial's command after '--'"},
  };
  for (const Case& c : cases) {
    Fixture f;
    SweepOptions options = f.Options({"lr=1,2", "wd=uniform:0:1"}, 1, 1);
    c.change(options);
    Status ran = f.Run(options);
    REQUIRE_FALSE(ran.ok());
    CHECK(ran.error().kind() == ErrorKind::kUsage);
    CHECK_MESSAGE(ran.error().message().find(c.error) == 0, ran.error().message());
    CHECK(f.client.calls().empty());
  }
}

TEST_CASE("sweep: a trial that cannot render (its name too long) stops the sweep before anything is created") {
  Fixture f;
  SweepOptions options = f.Options({"lr=1,2", "wd=uniform:0:1"}, 1, 1);
  options.render.request.name = std::string(61, 'a');
  Status ran = f.Run(options);
  REQUIRE_FALSE(ran.ok());
  CHECK(ran.error().message().rfind("trial 1: ", 0) == 0);
  CHECK(f.Applied().empty());
}

}  // namespace
}  // namespace llm
