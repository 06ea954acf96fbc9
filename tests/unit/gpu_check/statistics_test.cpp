#include "statistics.h"

#include <doctest/doctest.h>

#include <vector>

namespace llm::gpu_check {

TEST_CASE("Summarize: median, min, max, mean and cv") {
  struct Case {
    const char* name;
    std::vector<double> samples;
    double median, min, max, mean, cv;
  };
  const Case cases[] = {
      {"odd count", {3, 1, 2}, 2, 1, 3, 2, 0.408248},
      {"even count takes the mean of the middle two", {4, 1, 3, 2}, 2.5, 1, 4, 2.5, 0.447214},
      {"single sample", {7}, 7, 7, 7, 7, 0},
      {"constant samples have cv 0", {5, 5, 5}, 5, 5, 5, 5, 0},
      {"one outlier does not move the median", {100, 101, 99, 1}, 99.5, 1, 101, 75.25, 0.571},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const SampleStats s = Summarize(c.samples);
    CHECK(s.count == c.samples.size());
    CHECK(s.median == doctest::Approx(c.median));
    CHECK(s.min == doctest::Approx(c.min));
    CHECK(s.max == doctest::Approx(c.max));
    CHECK(s.mean == doctest::Approx(c.mean));
    CHECK(s.cv == doctest::Approx(c.cv).epsilon(0.001));
  }
}

TEST_CASE("Summarize: no samples gives zeros") {
  const SampleStats s = Summarize({});
  CHECK(s.count == 0);
  CHECK(s.median == 0);
  CHECK(s.cv == 0);
}

TEST_CASE("Median does not reorder its input") {
  std::vector<double> v = {3, 1, 2};
  CHECK(Median(v) == 2);
  CHECK(v == std::vector<double>{3, 1, 2});
}

}  // namespace llm::gpu_check
