// Reading a command's output the way the fault suite judges it: the -v=6
// request lines (which answers it got and retried) apart from what a user
// without -v sees, and the one error line a clear failure ends with.
#pragma once

#include <string>
#include <vector>

namespace llm::testing {

std::vector<std::string> Lines(const std::string& text);

/// Whether `line` is a -v=6 request line: "GET https://... 200 OK in 3
/// milliseconds, 120 bytes", or "... in 3 milliseconds: <error>".
bool IsRequestLine(const std::string& line);

/// Whether stderr holds a -v=6 line of a `method` request whose URL contains
/// `path_part`, whatever its answer.
bool SentRequest(const std::string& err, const std::string& method, const std::string& path_part);

/// What the command was answered besides success, e.g. "2x 429, 1x transport error".
std::string Answers(const std::string& err);

/// stderr without the -v=6 request lines: what a user without -v sees.
std::vector<std::string> UserLines(const std::string& err);

/// The one error line a clear failure ends with (-v=6 lines left out), or "".
std::string ClearError(const std::string& err);

}  // namespace llm::testing
