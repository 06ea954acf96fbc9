#include "commands/man_page.h"

#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/help_formatter.h"
#include "util/strings.h"

namespace llm {
namespace {

/// Text safe in roff: backslashes doubled as \e, and a line that would start
/// with '.' or '\'' (a request) guarded by \&.
std::string Roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

/// "--values" as roff prints an option: hyphens that stay hyphens.
std::string RoffFlag(std::string_view flag) {
  std::string out;
  for (char c : flag) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

bool Visible(const CLI::App* app) { return !app->get_group().empty(); }

/// "serve", "tenant-create": the command's words below the root.
std::string PathOf(const CLI::App& app, const std::string& separator) {
  std::string path;
  for (const CLI::App* at = &app; at != nullptr && at->get_parent() != nullptr; at = at->get_parent()) {
    path = at->get_name() + (path.empty() ? "" : separator + path);
  }
  return path;
}

std::string PageName(const CLI::App& app) {
  const std::string path = PathOf(app, "-");
  return path.empty() ? "kubectl-llm" : "kubectl-llm-" + path;
}

void WriteOptions(std::ostringstream& out, const CLI::App& app, const HelpFormatter& formatter) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden: a trailing command's extra words
    out << ".TP\n";
    if (!option->nonpositional()) {
      out << ".B " << option->get_name() << "\n";
    } else {
      std::vector<std::string> names;
      for (const std::string& s : option->get_snames()) names.push_back("-" + s);
      for (const std::string& l : option->get_lnames()) names.push_back("--" + l);
      out << "\\fB";
      for (size_t i = 0; i < names.size(); ++i) out << (i ? "\\fR, \\fB" : "") << RoffFlag(names[i]);
      out << "\\fR" << Roff(formatter.make_option_opts(option)) << "\n";
    }
    out << Roff(option->get_description()) << "\n";
  }
}

std::string Page(const CLI::App& app, const std::string& version) {
  HelpFormatter formatter;
  std::ostringstream out;
  const std::string name = PageName(app);
  const std::string words = "kubectl llm" + (PathOf(app, " ").empty() ? "" : " " + PathOf(app, " "));
  out << fmt::format(".TH \"{}\" 1 \"\" \"kubectl-llm {}\" \"kubectl-llm Manual\"\n", Upper(name), version);
  out << ".SH NAME\n" << name << " \\- " << Roff(app.get_description()) << "\n";
  std::string usage = formatter.make_usage(&app, words);
  if (usage.starts_with("Usage: ")) usage.erase(0, 7);
  while (!usage.empty() && usage.back() == '\n') usage.pop_back();
  out << ".SH SYNOPSIS\n.nf\n" << Roff(usage) << "\n.fi\n";
  out << ".SH DESCRIPTION\n" << Roff(app.get_description()) << ".\n";
  std::vector<const CLI::App*> subcommands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (Visible(sub)) subcommands.push_back(sub);
  }
  if (!subcommands.empty()) {
    out << ".SH COMMANDS\n";
    for (const CLI::App* sub : subcommands) {
      out << ".TP\n.B " << sub->get_name() << "\n" << Roff(sub->get_description()) << "\n";
    }
  }
  out << ".SH OPTIONS\n";
  WriteOptions(out, app, formatter);
  if (app.get_parent() != nullptr) {
    out << ".PP\nkubectl's global flags (\\fB\\-n\\fR, \\fB\\-\\-context\\fR, \\fB\\-\\-kubeconfig\\fR ...) "
           "work here too: see \\fBkubectl-llm\\fR(1).\n";
  }
  const std::string footer(app.get_footer());
  if (!footer.empty()) out << ".SH NOTES\n.nf\n" << Roff(footer) << "\n.fi\n";
  out << ".SH SEE ALSO\n";
  std::vector<std::string> see = {"kubectl(1)"};
  if (app.get_parent() != nullptr) see.push_back("kubectl-llm(1)");
  for (const CLI::App* sub : subcommands) see.push_back(PageName(*sub) + "(1)");
  for (size_t i = 0; i < see.size(); ++i) {
    const size_t paren = see[i].find('(');
    out << "\\fB" << see[i].substr(0, paren) << "\\fR" << see[i].substr(paren) << (i + 1 < see.size() ? ",\n" : "\n");
  }
  return out.str();
}

void Collect(const CLI::App& app, const std::string& version, std::vector<std::pair<std::string, std::string>>& out) {
  out.emplace_back(PageName(app) + ".1", Page(app, version));
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (Visible(sub)) Collect(*sub, version, out);
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ManPages(const CLI::App& root, const std::string& version) {
  std::vector<std::pair<std::string, std::string>> pages;
  Collect(root, version, pages);
  return pages;
}

}  // namespace llm
