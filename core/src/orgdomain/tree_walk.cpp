#include "orgdomain/tree_walk.hpp"

#include <algorithm>

#include "orgdomain/name_forms.hpp"
#include "text/ascii.hpp"

namespace relaycheck::orgdomain {
namespace {

constexpr std::size_t kShortenedLabels = 7;  // a name of 8 or more labels jumps to its last 7
constexpr std::size_t kMaxName = 253;

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_wsp(std::string_view text) {
  while (!text.empty() && is_wsp(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_wsp(text.back())) text.remove_suffix(1);
  return text;
}

using text::is_alpha;
using text::to_lower;

std::string joined(const spf::TxtRecord& record) {
  std::string out;
  for (const auto& piece : record) out += piece;
  return out;
}

}  // namespace

std::optional<RecordPeek> peek_dmarc_record(std::string_view record) {
  // The version tag comes first and exactly so (RFC 9989 §4.7, §4.8): "v" (either case, as
  // ABNF literals are) *WSP "=" *WSP %s"DMARC1", then a separator or the end.
  std::size_t i = 0;
  if (record.empty() || (record[0] != 'v' && record[0] != 'V')) return std::nullopt;
  ++i;
  while (i < record.size() && is_wsp(record[i])) ++i;
  if (i >= record.size() || record[i] != '=') return std::nullopt;
  ++i;
  while (i < record.size() && is_wsp(record[i])) ++i;
  if (record.substr(i, 6) != "DMARC1") return std::nullopt;
  i += 6;
  while (i < record.size() && is_wsp(record[i])) ++i;
  if (i < record.size() && record[i] != ';') return std::nullopt;

  RecordPeek peek;
  std::vector<std::string> names{"v"};
  std::string_view rest = i < record.size() ? record.substr(i + 1) : std::string_view{};
  while (!rest.empty()) {
    const std::size_t semi = rest.find(';');
    const std::string_view part = trim_wsp(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    std::size_t j = 0;
    while (j < part.size() && is_alpha(part[j])) ++j;
    const std::string_view name = part.substr(0, j);
    while (j < part.size() && is_wsp(part[j])) ++j;
    if (name.empty() || j >= part.size() || part[j] != '=') continue;  // not tag=value: ignored
    const std::string_view value = trim_wsp(part.substr(j + 1));
    names.push_back(to_lower(name));
    if (names.back() != "psd") continue;
    // dmarc-psd = "y" / "n" / "u": ABNF literals match either case.
    const char c = value.size() == 1 ? to_lower(value[0]) : '\0';
    peek.psd = c == 'y' || c == 'n' ? c : 'u';
  }
  // Sorted, a repeated name sits next to itself: O(n log n) for a record of 10,000 tags.
  std::sort(names.begin(), names.end());
  peek.duplicate_tag = std::adjacent_find(names.begin(), names.end()) != names.end();
  if (peek.duplicate_tag) peek.psd = 'u';
  return peek;
}

std::string_view to_string(WalkStatus status) {
  switch (status) {
    case WalkStatus::determined:
      return "determined";
    case WalkStatus::needs_lookups:
      return "needs-lookups";
    case WalkStatus::dns_error:
      return "dns-error";
  }
  return "determined";
}

std::vector<std::size_t> walk_label_counts(std::size_t labels) {
  std::vector<std::size_t> out;
  if (labels == 0) return out;
  out.push_back(labels);
  std::size_t next = labels >= kShortenedLabels + 1 ? kShortenedLabels : labels - 1;
  for (; next >= 1; --next) out.push_back(next);
  return out;
}

Checked<TreeWalk> tree_walk(std::string_view name, const spf::DnsView& dns) {
  auto split = split_name(name);
  if (!split) return {std::nullopt, split.error};
  const NameForms& labels = *split.value;
  const std::size_t n = labels.size();

  TreeWalk walk;
  walk.name = labels.given_suffix(n);
  walk.name_ascii = labels.ascii_suffix(n);
  bool unknown = false;
  bool failed = false;
  // Indexes into walk.lookups: the record that stopped the walk, and the record found at the
  // name with the fewest labels (the last one found); with their names' label counts.
  std::optional<std::size_t> stop;
  std::optional<std::size_t> fewest;
  std::size_t stop_labels = 0;
  std::size_t fewest_labels = 0;
  const std::vector<std::size_t> counts = walk_label_counts(n);
  for (const std::size_t count : counts) {
    WalkLookup lookup;
    lookup.domain = labels.ascii_suffix(count);
    lookup.query = "_dmarc." + lookup.domain;
    if (lookup.query.size() > kMaxName) {
      // No such name can exist in the DNS: there is no record to find.
      lookup.too_long = true;
      lookup.status = spf::DnsStatus::nxdomain;
      walk.lookups.push_back(std::move(lookup));
      continue;
    }
    const spf::DnsAnswer& answer = dns.query(lookup.query, spf::RrType::txt);
    lookup.status = answer.status;
    if (answer.status == spf::DnsStatus::unknown) {
      unknown = true;
      walk.needed.push_back(lookup.query);
    } else if (answer.status == spf::DnsStatus::temp_error) {
      failed = true;
    } else if (answer.status == spf::DnsStatus::records) {
      std::optional<RecordPeek> one;
      for (const auto& record : answer.txt) {
        if (auto peek = peek_dmarc_record(joined(record))) {
          ++lookup.dmarc_records;
          one = peek;
        }
      }
      // Two or more DMARC records at one name are all discarded (RFC 9989 §4.10 step 2); one
      // with a tag written twice is not a valid record.
      if (lookup.dmarc_records == 1 && !one->duplicate_tag) lookup.psd = one->psd;
      lookup.duplicate_tag = lookup.dmarc_records == 1 && one->duplicate_tag;
    }
    const bool found = lookup.has_record();
    const char psd = lookup.psd;
    walk.lookups.push_back(std::move(lookup));
    if (found) {
      fewest = walk.lookups.size() - 1;
      fewest_labels = count;
      if (psd == 'y' || psd == 'n') {
        stop = fewest;
        stop_labels = count;
        break;
      }
    }
  }

  if (unknown || failed) {
    walk.status = unknown ? WalkStatus::needs_lookups : WalkStatus::dns_error;
    walk.reason = unknown ? "the DNS data does not say yet whether " + walk.needed.front() +
                                " holds a DMARC record; query the names in `needed` and walk again"
                          : "a query failed with a temporary DNS error before the walk could stop";
    return {std::move(walk), {}};
  }

  std::size_t org_labels = n;
  const char stop_psd = stop ? walk.lookups[*stop].psd : 0;
  if (stop_psd == 'n') {
    org_labels = stop_labels;
    walk.reason = walk.lookups[*stop].query + " says psd=n: " + walk.lookups[*stop].domain +
                  " is the organizational domain (RFC 9989 §4.10.2, rule 1)";
  } else if (stop_psd == 'y' && stop_labels < n) {
    org_labels = stop_labels + 1;
    walk.public_suffix_domain = labels.given_suffix(stop_labels);
    walk.public_suffix_domain_ascii = walk.lookups[*stop].domain;
    walk.reason = walk.lookups[*stop].query +
                  " says psd=y: the organizational domain is the name one "
                  "label below it (RFC 9989 §4.10.2, rule 2)";
  } else if (stop_psd == 'y') {
    walk.reason =
        walk.lookups[*stop].query +
        " says psd=y at the name the walk starts from, which "
        "is then its own organizational domain (RFC 9989 §4.10.2: rule 2 excludes it, rule 3)";
  } else if (fewest) {
    org_labels = fewest_labels;
    walk.reason = walk.lookups[*fewest].query +
                  " is the DMARC record at the name with the fewest "
                  "labels (RFC 9989 §4.10.2, rule 3)";
  } else {
    walk.reason =
        "no name on the walk holds a DMARC record: the name is its own organizational "
        "domain (RFC 9989 §4.10.2)";
  }
  walk.organizational_domain = labels.given_suffix(org_labels);
  walk.organizational_domain_ascii = labels.ascii_suffix(org_labels);
  return {std::move(walk), {}};
}

}  // namespace relaycheck::orgdomain
