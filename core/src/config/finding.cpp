#include "config/finding.hpp"

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

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

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.severity, a.path, a.code) < std::tie(b.severity, b.path, b.code);
  });
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

void add_derived(std::vector<Finding>& findings, const std::vector<Finding>& derived,
                 const std::vector<Finding>& loader) {
  for (const Finding& f : derived) {
    const bool unread = std::any_of(loader.begin(), loader.end(), [&](const Finding& l) {
      return l.severity == Severity::error && !l.path.empty() &&
             f.path.compare(0, l.path.size(), l.path) == 0 &&
             (f.path.size() == l.path.size() || f.path[l.path.size()] == '/');
    });
    if (!unread) findings.push_back(f);
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
