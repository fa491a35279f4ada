#include "rules/whitelist.hpp"

#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "text/quote.hpp"

namespace relaycheck::whitelist {
namespace {

/// Public addresses an allowed entry admits beyond the CRM's ranges. Any number is a warning
/// when the entry covers CRM ranges (its other hosts relay too); an entry that covers none is
/// the admin's own network, a warning only past a /20 (IPv4) or a /48 (IPv6); half a /16 (IPv4)
/// or half a /32 (IPv6) or more is an error, so that a public /16 is an error with or without
/// CRM ranges inside.
constexpr std::string_view kOwnNetworkV4 = "4096";                         // 2^12, a /20
constexpr std::string_view kOwnNetworkV6 = "1208925819614629174706176";    // 2^80, a /48
constexpr std::string_view kTooBroadV4 = "32768";                          // 2^15
constexpr std::string_view kTooBroadV6 = "39614081257132168796771975168";  // 2^95
/// Blocks named in a message before "and N more".
constexpr std::size_t kBlocksNamed = 4;

/// Address space that is not reachable from the Internet (RFC 6890 and its updates): an entry
/// that admits only these addresses cannot turn the relay into an open relay.
constexpr std::array kSpecialV4{
    "0.0.0.0/8",       "10.0.0.0/8",     "100.64.0.0/10", "127.0.0.0/8",    "169.254.0.0/16",
    "172.16.0.0/12",   "192.0.0.0/24",   "192.0.2.0/24",  "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",   "240.0.0.0/4",
};
constexpr std::array kSpecialV6{
    "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8",
};

ip::PrefixSet special_space() {
  std::vector<ip::Prefix> prefixes;
  for (const char* text : kSpecialV4) prefixes.push_back(*ip::parse_prefix(text).value);
  for (const char* text : kSpecialV6) prefixes.push_back(*ip::parse_prefix(text).value);
  return ip::PrefixSet(prefixes);
}

/// Decimal counts without leading zeros: a >= b.
bool at_least(std::string_view a, std::string_view b) {
  return a.size() != b.size() ? a.size() > b.size() : a >= b;
}

/// "a, b, c, d and 5 more blocks".
std::string some(const std::vector<ip::Prefix>& prefixes) {
  std::string out;
  for (std::size_t i = 0; i < prefixes.size() && i < kBlocksNamed; ++i) {
    out += (i == 0 ? "" : ", ") + ip::to_string(prefixes[i]);
  }
  if (prefixes.size() > kBlocksNamed) {
    out += " and " + std::to_string(prefixes.size() - kBlocksNamed) + " more blocks";
  }
  return out;
}

std::string join(const std::vector<ip::Prefix>& prefixes, std::string_view separator) {
  std::string out;
  for (const auto& p : prefixes) {
    if (!out.empty()) out += separator;
    out += ip::to_string(p);
  }
  return out;
}

/// Counts as people read them: "1 address", "4,294,967,296 addresses".
std::string addresses(const std::string& decimal) {
  std::string grouped;
  for (std::size_t i = 0; i < decimal.size(); ++i) {
    if (i > 0 && (decimal.size() - i) % 3 == 0) grouped += ',';
    grouped += decimal[i];
  }
  return grouped + (decimal == "1" ? " address" : " addresses");
}

Counts counts(const ip::PrefixSet& set) {
  return Counts{set.address_count(ip::Family::v4), set.address_count(ip::Family::v6)};
}

std::string describe(const Counts& c) {
  if (c.ipv6 == "0") return addresses(c.ipv4);
  if (c.ipv4 == "0") return addresses(c.ipv6);
  return addresses(c.ipv4) + " of IPv4 and " + addresses(c.ipv6) + " of IPv6";
}

/// The prefix as the family it really filters: an IPv4-mapped IPv6 prefix (::ffff:a.b.c.d/N,
/// N >= 96) admits IPv4 clients on a dual-stack socket, so it is judged as IPv4 /N-96.
ip::Prefix effective(const ip::Prefix& prefix) {
  if (prefix.family == ip::Family::v6 && prefix.length >= 96 &&
      ip::is_v4_mapped(prefix.network())) {
    return *ip::make_prefix(ip::unmap(prefix.network()), prefix.length - 96u);
  }
  return prefix;
}

}  // namespace

Reach reach(const ip::Prefix& prefix) {
  const ip::Prefix judged = effective(prefix);
  if (judged.length == 0) return Reach::everything;
  const bool is_v4 = judged.family == ip::Family::v4;
  if (judged.length >= (is_v4 ? 16u : 32u)) return Reach::limited;
  const ip::PrefixSet admitted(std::vector<ip::Prefix>{judged});
  return subtract(admitted, special_space()).empty() ? Reach::limited : Reach::wide;
}

Result check(const ip::PrefixSet& required, const std::vector<std::string>& allowed,
             std::string_view pointer, std::string_view data_center, bool relay_signs_dkim) {
  Result result;
  const std::string where(pointer);
  const std::string dc = data_center.empty() || data_center == "custom"
                             ? std::string("the CRM's data centre")
                             : "the CRM's " + std::string(data_center) + " data centre";
  const ip::PrefixSet special = special_space();

  std::vector<ip::Prefix> entries;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    const std::string path = where + "/" + std::to_string(i);
    auto parsed = ip::parse_prefix(allowed[i]);
    if (!parsed) {
      auto masked = ip::parse_prefix(allowed[i], ip::HostBits::mask);
      result.findings.push_back(
          Finding{"whitelist.invalid_entry", Severity::error, path,
                  "The allowed network " + quote(allowed[i]) + " is not valid: " + parsed.error +
                      (masked ? "; relay software reads it as " + ip::to_string(*masked.value) +
                                    " at best, and some refuse it."
                              : "; the relay cannot use it."),
                  masked ? "Write " + ip::to_string(*masked.value) + " (or the address with /32)."
                         : "Write an address (192.0.2.1) or a CIDR network (192.0.2.0/24)."});
      if (!masked) continue;
      parsed = masked;
    }
    const ip::Prefix entry = *parsed.value;
    entries.push_back(entry);

    // Judged as the family it really filters (an IPv4-mapped prefix as IPv4).
    const ip::Prefix judged = effective(entry);
    const ip::PrefixSet admitted(std::vector<ip::Prefix>{judged});
    const std::string count = ip::address_count(entry);
    const ip::PrefixSet crm_part = intersect(admitted, required);
    const std::string crm = crm_part.address_count(judged.family);
    const ip::PrefixSet beyond_set = subtract(subtract(admitted, required), special);
    const std::string beyond = beyond_set.address_count(judged.family);
    const std::string name = "The allowed network " + ip::to_string(entry);
    const bool is_v4 = judged.family == ip::Family::v4;
    const std::string keep = crm == "0" ? std::string() : ": " + join(crm_part.prefixes(), ", ");
    if (judged.length == 0) {
      result.broad.push_back(BroadEntry{i, entry, count, crm, beyond, Severity::error});
      result.findings.push_back(Finding{
          "whitelist.open_to_internet", Severity::error, path,
          name + " admits every " + (is_v4 ? "IPv4" : "IPv6") + " address (" + addresses(count) +
              "): the relay is an open relay for the whole Internet, and spammers will send "
              "through it and get its address blacklisted.",
          "Remove " + ip::to_string(entry) + " and list the CRM's ranges instead."});
    } else if (at_least(beyond, is_v4 ? kTooBroadV4 : kTooBroadV6)) {
      result.broad.push_back(BroadEntry{i, entry, count, crm, beyond, Severity::error});
      result.findings.push_back(Finding{
          "whitelist.too_broad", Severity::error, path,
          name + " admits " + addresses(beyond) + " of public address space that are not the " +
              "CRM's (" + some(beyond_set.prefixes()) + "; " + addresses(crm) +
              " are the CRM's): any host there can relay mail through this server. " +
              (is_v4 ? "32,768 (half a /16)" : "2^95 (half a /32)") +
              " or more such addresses make this an error.",
          crm == "0" ? "Replace " + ip::to_string(entry) +
                           " with your own hosts it was meant for, and list the CRM's ranges."
                     : "Replace " + ip::to_string(entry) + " with the CRM's ranges it covers" +
                           keep + "."});
    } else if (beyond != "0" &&
               (crm != "0" || !at_least(is_v4 ? kOwnNetworkV4 : kOwnNetworkV6, beyond))) {
      result.broad.push_back(BroadEntry{i, entry, count, crm, beyond, Severity::warning});
      result.findings.push_back(Finding{
          "whitelist.broader_than_needed", Severity::warning, path,
          name + " admits " + addresses(beyond) + " of public address space that are not the " +
              "CRM's (" + some(beyond_set.prefixes()) + "): every host there can relay mail " +
              "through this server too" +
              (crm == "0" ? std::string(" (more than a ") + (is_v4 ? "/20" : "/48") +
                                " of addresses none of which is the CRM's)"
                          : "") +
              ".",
          crm == "0" ? "Narrow " + ip::to_string(entry) + " to your own hosts."
                     : "Replace " + ip::to_string(entry) + " with the CRM's ranges it covers" +
                           keep + "."});
    }
  }

  const ip::PrefixSet admitted(entries);
  const ip::PrefixSet missing = subtract(required, admitted);
  result.required = required.prefixes();
  result.missing = missing.prefixes();
  result.required_addresses = counts(required);
  result.missing_addresses = counts(missing);
  if (!missing.empty()) {
    result.findings.push_back(
        Finding{"whitelist.missing_ranges", Severity::error, where,
                "The relay's allowed networks miss " + std::to_string(result.missing.size()) +
                    (result.missing.size() == 1 ? " block" : " blocks") + " of " + dc +
                    "'s ranges (" + describe(result.missing_addresses) +
                    "): mail the CRM sends from there is refused by the relay and not delivered.",
                "Add to the relay's allowed networks: " + join(result.missing, ", ") + "."});
  }
  if (!intersect(admitted, required).empty()) {
    const std::string fix =
        "Require SMTP AUTH from the CRM (password authentication), or let the relay accept only "
        "mail whose header From is in your configured domains (a milter, or Exim's "
        "acl_smtp_data); limiting envelope sender domains does not separate tenants while the "
        "CRM is the return path, because every tenant's envelope sender is then the CRM's "
        "bounce domain.";
    if (relay_signs_dkim) {
      result.findings.push_back(Finding{
          "whitelist.shared_data_center_dkim", Severity::error, where,
          "The relay DKIM-signs what it relays and trusts every tenant of " + dc +
              " by address: any of the CRM's customers there can send mail as your domain that "
              "the relay signs, and it passes DMARC at every receiver.",
          fix + " Or let the CRM sign your domain's mail and turn the relay's signing off."});
    } else {
      result.findings.push_back(Finding{
          "whitelist.shared_data_center", Severity::warning, where,
          "Relay permission by IP address for " + dc +
              " trusts every tenant of that data centre: any of the CRM's customers there can "
              "send mail through this relay, from its address and with its reputation.",
          fix});
    }
  }
  sort_findings(result.findings);
  return result;
}

void to_json(nlohmann::json& out, const Result& result) {
  const auto texts = [](const std::vector<ip::Prefix>& prefixes) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : prefixes) list.push_back(ip::to_string(p));
    return list;
  };
  const auto counts_json = [](const Counts& c) {
    return nlohmann::json{{"ipv4", c.ipv4}, {"ipv6", c.ipv6}};
  };
  nlohmann::json broad = nlohmann::json::array();
  for (const auto& b : result.broad) {
    broad.push_back({{"index", b.index},
                     {"prefix", ip::to_string(b.prefix)},
                     {"addresses", b.addresses},
                     {"crmAddresses", b.crm_addresses},
                     {"beyondCrm", b.beyond_crm},
                     {"severity", to_string(b.severity)}});
  }
  out = nlohmann::json{{"required", texts(result.required)},
                       {"requiredAddresses", counts_json(result.required_addresses)},
                       {"missing", texts(result.missing)},
                       {"missingAddresses", counts_json(result.missing_addresses)},
                       {"complete", result.missing.empty()},
                       {"broad", broad},
                       {"findings", result.findings}};
}

}  // namespace relaycheck::whitelist
