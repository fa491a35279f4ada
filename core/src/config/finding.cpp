#include "config/finding.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>

#include <nlohmann/json.hpp>

#include "text/json_writer.hpp"

namespace relaycheck {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "info";
  }
  return "error";
}

bool finding_before(const Finding& a, const Finding& b) {
  return std::tie(a.severity, a.path, a.code) < std::tie(b.severity, b.path, b.code);
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), finding_before);
}

bool has_errors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::error; });
}

void to_json(nlohmann::json& out, const Finding& finding) {
  out = nlohmann::json{{"code", finding.code},
                       {"severity", to_string(finding.severity)},
                       {"path", finding.path},
                       {"message", finding.message},
                       {"fix", finding.fix}};
}

void write_json(text::JsonWriter& w, const Finding& finding) {
  w.object()
      .member("code", finding.code)
      .member("severity", to_string(finding.severity))
      .member("path", finding.path)
      .member("message", finding.message)
      .member("fix", finding.fix)
      .end();
}

void write_json(text::JsonWriter& w, const std::vector<Finding>& findings) {
  w.array();
  for (const Finding& f : findings) write_json(w, f);
  w.end();
}

void add_derived(std::vector<Finding>& findings, const std::vector<Finding>& derived,
                 const std::vector<Finding>& loader) {
  // The loader's error paths, sorted: a derived finding is left out when its path or one of its
  // ancestors (a prefix ending at a `/`) is among them. A pointer has few segments, so each
  // derived finding costs a few binary searches, not a scan of the loader's findings: 10,000
  // relays with a missing field each made this quadratic (28 s of a 37 s analysis).
  std::vector<std::string_view> unread;
  for (const Finding& l : loader) {
    if (l.severity == Severity::error && !l.path.empty()) unread.push_back(l.path);
  }
  std::sort(unread.begin(), unread.end());
  const auto is_unread = [&](std::string_view path) {
    if (unread.empty()) return false;
    for (std::size_t end = 1; end <= path.size(); ++end) {
      if (end != path.size() && path[end] != '/') continue;
      if (std::binary_search(unread.begin(), unread.end(), path.substr(0, end))) return true;
    }
    return false;
  };
  for (const Finding& f : derived) {
    if (!is_unread(f.path)) findings.push_back(f);
  }
}

nlohmann::json severity_counts(const std::vector<Finding>& findings) {
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& f : findings) ++counts[static_cast<int>(f.severity)];
  return {{"errors", counts[0]}, {"warnings", counts[1]}, {"infos", counts[2]}};
}

std::string pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace relaycheck
