#include "workload/object_events.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

TEST_CASE("events of both APIs, oldest first, with their counts") {
  nlohmann::json events = nlohmann::json::array({
      // core/v1 from the kubelet
      {{"involvedObject", {{"kind", "Pod"}, {"name", "chat-0"}}},
       {"reason", "Pulling"},
       {"message", "Pulling image \"vllm/vllm-openai:v0.10.2\""},
       {"type", "Normal"},
       {"count", 3},
       {"lastTimestamp", "2026-11-28T12:00:09Z"}},
      // events.k8s.io/v1: regarding, note, series
      {{"regarding", {{"kind", "Pod"}, {"name", "chat-0"}}},
       {"reason", "FailedScheduling"},
       {"note", "0/3 nodes are available"},
       {"type", "Warning"},
       {"eventTime", "2026-11-28T12:00:01.482913Z"},
       {"series", {{"count", 4}, {"lastObservedTime", "2026-11-28T12:00:05.000001Z"}}}},
      // another object
      {{"involvedObject", {{"kind", "Pod"}, {"name", "chat-1"}}}, {"reason", "Pulled"}},
      // core/v1 view of a scheduler event: eventTime, no count, null timestamps
      {{"involvedObject", {{"kind", "Pod"}, {"name", "chat-0"}}},
       {"reason", "Scheduled"},
       {"message", "Successfully assigned default/chat-0 to gpu-node-1"},
       {"eventTime", "2026-11-28T12:00:07.1Z"},
       {"firstTimestamp", nullptr},
       {"lastTimestamp", nullptr}},
  });
  std::vector<ObjectEvent> got = EventsAbout(events, "Pod", "chat-0");
  REQUIRE(got.size() == 3);
  CHECK(got[0].reason == "FailedScheduling");
  CHECK(got[0].message == "0/3 nodes are available");
  CHECK(got[0].count == 4);
  CHECK(got[1].reason == "Scheduled");
  CHECK(got[1].count == 1);
  CHECK(got[2].reason == "Pulling");
  CHECK(got[2].count == 3);
  CHECK(EventsAbout(events, "Pod", "chat-2").empty());
}

TEST_CASE("the fixture's image pull events are read in order") {
  nlohmann::json scenario = testing::LoadWorkloadFixture("stall/image-pull.json");
  std::vector<ObjectEvent> got = EventsAbout(scenario["events"], "Pod", "chat-7d9f8c6b5-x2kq4");
  REQUIRE(got.size() == 6);
  CHECK(got.front().reason == "Scheduled");
  CHECK(got.back().message == "Error: ImagePullBackOff");
}

}  // namespace
}  // namespace llm
