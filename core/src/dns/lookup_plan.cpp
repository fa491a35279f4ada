// The lookup plan and the merge of fetched answers (lookup_plan.hpp). The plan runs the outcome
// analysis's own steps (outcomes/detail.hpp) over a view that records each query its DNS data
// cannot answer, so that it asks for exactly what the analysis reads, no more and no less.
#include "dns/lookup_plan.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "outcomes/detail.hpp"
#include "plan/plan.hpp"
#include "text/hostname.hpp"

namespace relaycheck::dns {
namespace {

using json = nlohmann::json;

/// The most PTR names of one outbound IP whose forward lookup is asked for (SPF's ptr limit).
constexpr std::size_t kPtrNames = 10;

std::uint16_t code_of(spf::RrType t) {
  switch (t) {
    case spf::RrType::txt:
      return type::TXT;
    case spf::RrType::a:
      return type::A;
    case spf::RrType::aaaa:
      return type::AAAA;
    case spf::RrType::mx:
      return type::MX;
    case spf::RrType::ptr:
      return type::PTR;
  }
  return type::TXT;
}

/// A DnsView decorator that records, in order and once each, every query answered "unknown".
class RecordingView final : public spf::DnsView {
 public:
  explicit RecordingView(const spf::DnsView& inner) : inner_(inner) {}

  const spf::DnsAnswer& query(std::string_view name, spf::RrType t) const override {
    const spf::DnsAnswer& answer = inner_.query(name, t);
    if (answer.status == spf::DnsStatus::unknown) add(normalize(name), code_of(t));
    return answer;
  }

  void add(std::string name, std::uint16_t t) const {
    // A name no query can carry (a label over 63 octets, a space from a macro) cannot be
    // fetched: asking for it would leave it unknown round after round.
    if (name.empty() || !encode_query(name, t, 0)) return;
    if (seen_.emplace(name, t).second) lookups_.push_back({std::move(name), t});
  }

  std::vector<Lookup>& lookups() const { return lookups_; }

 private:
  const spf::DnsView& inner_;
  mutable std::vector<Lookup> lookups_;
  mutable std::set<std::pair<std::string, std::uint16_t>> seen_;
};

std::string ascii_host(std::string_view text) {
  const auto host = parse_host_name(text);
  return host ? host.value->ascii : std::string();
}

/// The lookups asked for whatever the analysis reads: each From domain's TXT (its SPF record,
/// which the hosted-service rules and the page's DNS panel read even when the envelope domain is
/// another), then the relay checks: each host's A and AAAA, each outbound address's PTR and the
/// forward lookup of the names it gives.
void explicit_lookups(const Config& config, const RecordingView& view) {
  for (const Domain& domain : config.domains) {
    const std::string name = ascii_host(domain.name);
    if (!name.empty()) view.query(name, spf::RrType::txt);
  }
  for (const Domain& domain : config.domains) {
    for (const Relay& relay : domain.relays) {
      // A host given as an address literal has nothing to resolve.
      if (!ip::parse_address(relay.host)) {
        const std::string host = ascii_host(relay.host);
        if (!host.empty()) {
          view.query(host, spf::RrType::a);
          view.query(host, spf::RrType::aaaa);
        }
      }
    }
  }
  for (const Domain& domain : config.domains) {
    for (const Relay& relay : domain.relays) {
      for (const std::string& text : relay.outbound_ips) {
        const auto prefix = ip::parse_prefix(text, ip::HostBits::mask);
        if (!prefix || prefix.value->length != ip::max_length(prefix.value->family)) continue;
        const ip::Address address = prefix.value->network();
        const spf::DnsAnswer& ptr = view.query(reverse_name(address), spf::RrType::ptr);
        if (ptr.status != spf::DnsStatus::records) continue;
        const auto forward = address.family == ip::Family::v4 ? spf::RrType::a : spf::RrType::aaaa;
        for (std::size_t i = 0; i < ptr.names.size() && i < kPtrNames; ++i) {
          view.query(ptr.names[i], forward);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Merging
// ---------------------------------------------------------------------------------------------

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::string entry_type(const json& entry) {
  return entry.is_object() && entry.contains("type") && entry["type"].is_string()
             ? upper(entry["type"].get<std::string>())
             : std::string();
}

/// True when the entry says something about `t` at its owner (records of it, NODATA or TIMEOUT
/// naming it), or about the whole name (NXDOMAIN, CNAME, a TIMEOUT without types).
bool concerns(const json& entry, const std::string& t) {
  const std::string et = entry_type(entry);
  if (et == t || et == "NXDOMAIN" || et == "CNAME") return true;
  if (et == "TIMEOUT" && !entry.contains("data")) return true;
  if ((et != "NODATA" && et != "TIMEOUT") || !entry.contains("data")) return false;
  const json& data = entry["data"];
  if (data.is_string()) return upper(data.get<std::string>()) == t;
  if (!data.is_array()) return false;
  return std::any_of(data.begin(), data.end(), [&](const json& d) {
    return d.is_string() && upper(d.get<std::string>()) == t;
  });
}

/// The entry without its source fields, for comparing and for the summary.
json bare(const json& entry) {
  json out = entry;
  if (out.is_object()) {
    out.erase("fetched");
    out.erase("resolver");
  }
  return out;
}

/// Removes from a NODATA or TIMEOUT entry that names several types the one answered again; true
/// when the entry is then about `t` alone (and goes as a whole).
bool drop_listed_type(json& entry, const std::string& t) {
  const std::string et = entry_type(entry);
  if ((et != "NODATA" && et != "TIMEOUT") || !entry.contains("data") || !entry["data"].is_array()) {
    return true;
  }
  json kept = json::array();
  for (const json& d : entry["data"]) {
    if (!(d.is_string() && upper(d.get<std::string>()) == t)) kept.push_back(d);
  }
  if (kept.empty()) return true;
  entry["data"] = std::move(kept);
  return false;
}

}  // namespace

LookupPlan plan_lookups(const Config& config, std::size_t limit) {
  LookupPlan plan;
  plan.limit = limit;
  outcomes::Context context(config);
  std::vector<Finding> findings;
  outcomes::prepare(context, findings);
  const RecordingView recording(*context.zone);
  context.view = &recording;
  // These first: a few per domain and relay, so that a round of `limit` never postpones them
  // behind the hundreds of lookups a macro can need over the CRM's ranges.
  explicit_lookups(config, recording);
  // What the analysis reads, as outcomes::derive() reads it.
  outcomes::evaluate_paths(context, plan::make_plan(config));
  std::vector<Lookup>& all = recording.lookups();
  plan.total = all.size();
  if (all.size() > limit) all.resize(limit);
  plan.lookups = std::move(all);
  return plan;
}

Result<Merged> merge_answers(const json& dns, const std::vector<Answer>& answers,
                             std::string_view resolver, std::string_view at) {
  Result<Merged> result;
  if (!dns.is_object()) {
    result.error = "the dns section must be a map from DNS names to their records";
    return result;
  }
  Merged merged;
  merged.dns = dns;
  // Owners are compared as ZoneView compares them; an existing key keeps its spelling.
  auto key_of = [&](const std::string& owner) {
    const std::string n = normalize(owner);
    for (const auto& item : merged.dns.items()) {
      if (normalize(item.key()) == n) return item.key();
    }
    return n;
  };
  for (std::size_t a = 0; a < answers.size(); ++a) {
    const Answer& answer = answers[a];
    if (!answer.entries.is_object()) {
      result.error = "answer " + std::to_string(a) + ": the entries must be a zone fragment";
      return result;
    }
    for (const auto& [owner, fresh] : answer.entries.items()) {
      if (!fresh.is_array()) {
        result.error =
            "answer " + std::to_string(a) + ": the entries of '" + owner + "' must be a list";
        return result;
      }
      // The type this owner's entries answer: the asked type, or the whole name.
      std::string t = type_name(answer.type);
      bool whole_name = false;
      for (const json& e : fresh) {
        const std::string et = entry_type(e);
        if (et.empty()) {
          result.error =
              "answer " + std::to_string(a) + ": an entry of '" + owner + "' has no type";
          return result;
        }
        if (et == "NXDOMAIN" || et == "CNAME") whole_name = true;
        if (et == "CNAME" || et == "NXDOMAIN") t = et;
      }
      const std::string key = key_of(owner);
      json old =
          merged.dns.contains(key) && merged.dns[key].is_array() ? merged.dns[key] : json::array();
      json kept = json::array();
      json before = json::array();
      for (json& e : old) {
        const std::string et = entry_type(e);
        const bool goes = whole_name || (et == "NXDOMAIN" || et == "CNAME") || concerns(e, t);
        if (!goes) {
          kept.push_back(e);
          continue;
        }
        before.push_back(bare(e));
        if (!whole_name && (et == "NODATA" || et == "TIMEOUT") && !drop_listed_type(e, t)) {
          kept.push_back(e);
        }
      }
      json after = json::array();
      json timeouts = json::array();
      for (const json& e : fresh) {
        json entry = bare(e);
        after.push_back(entry);
        if (!at.empty()) entry["fetched"] = std::string(at);
        if (!resolver.empty()) entry["resolver"] = std::string(resolver);
        (entry_type(e) == "TIMEOUT" ? timeouts : kept).push_back(std::move(entry));
      }
      for (json& e : timeouts) kept.push_back(std::move(e));
      merged.dns[key] = std::move(kept);
      Change change;
      change.name = normalize(owner);
      change.type = t;
      change.change = before.empty() ? "added" : before == after ? "unchanged" : "changed";
      change.before = std::move(before);
      change.after = std::move(after);
      merged.changes.push_back(std::move(change));
    }
  }
  result.value = std::move(merged);
  return result;
}

}  // namespace relaycheck::dns
