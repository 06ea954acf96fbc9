// validate-nodes --from-json: a saved NodeValidationReport (any file a user
// points it at; it carries each node's gpu_check verdict and figures) read
// back. Either a report or an error naming a field; a report it reads,
// written again, reads again to the same document (the reader and the writer
// agree on every field), and prints as a table.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_check.h"
#include "node_validation/report_reader.h"
#include "node_validation/validation_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llm;
  const nlohmann::json document = nlohmann::json::parse(fuzz::Text(data, size), nullptr, false);
  if (document.is_discarded()) return 0;
  auto report = ParseReportJson(document);
  if (!report.ok()) {
    FUZZ_CHECK(!report.error().message().empty(), "an error without a message");
    return 0;
  }
  const nlohmann::ordered_json written = ReportJson(*report);
  auto again = ParseReportJson(nlohmann::json::parse(written.dump()));
  FUZZ_CHECK(again.ok(), "a report written again does not read back");
  FUZZ_CHECK(ReportJson(*again) == written, "a report written and read again is not the same report");
  (void)FormatReportTable(*report);
  return 0;
}
