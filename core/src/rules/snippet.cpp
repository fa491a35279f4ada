// Relay configuration snippets. Each one adds exactly the given ranges to what the relay already
// has: an existing mynetworks keeps 127.0.0.0/8 and the admin's own entries.
#include <cstdio>
#include <string>

#include "rules/whitelist.hpp"

namespace relaycheck::whitelist {
namespace {

constexpr std::string_view kPostfixTable = "/etc/postfix/crm-networks.cidr";

std::string plain(const std::vector<ip::Prefix>& prefixes) {
  std::string out;
  for (const auto& p : prefixes) out += ip::to_string(p) + "\n";
  return out;
}

std::string postfix(const std::vector<ip::Prefix>& prefixes, std::string_view label) {
  std::string out =
      "# 1. Save as " + std::string(kPostfixTable) + " (" + std::string(label) + "):\n";
  for (const auto& p : prefixes) out += ip::to_string(p) + "\tOK\n";
  out +=
      "\n# 2. Add the table to mynetworks, keeping 127.0.0.0/8 and your own entries:\n"
      "postconf -e \"mynetworks = $(postconf -hx mynetworks) cidr:" +
      std::string(kPostfixTable) +
      "\"\n"
      "\n# 3. smtpd_relay_restrictions must permit mynetworks before it refuses relaying.\n"
      "#    Postfix's default does; if you changed it, keep permit_mynetworks in front:\n"
      "#    smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, "
      "defer_unauth_destination\n"
      "postfix reload\n";
  return out;
}

std::string exim(const std::vector<ip::Prefix>& prefixes, std::string_view label) {
  // `<;` makes `;` the separator, so that IPv6 colons need no doubling.
  std::string out = "# Exim main configuration: " + std::string(label) +
                    ".\n"
                    "hostlist crm_networks = <;";
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    out += (i == 0 ? " " : " ; ") + ip::to_string(prefixes[i]);
  }
  out +=
      "\n# Then add +crm_networks to the relay_from_hosts you already have, for example:\n"
      "#   hostlist relay_from_hosts = localhost : +crm_networks\n";
  return out;
}

/// Sendmail's access map matches whole octets (IPv4) or groups (IPv6) from the left, so a
/// network is written as its leading octets or groups: 10.1.0.0/16 is `Connect:10.1`.
std::string sendmail_key(const ip::Prefix& p) {
  std::string key;
  if (p.family == ip::Family::v4) {
    const auto v = static_cast<std::uint32_t>(p.lo);
    for (unsigned i = 0; i < p.length / 8u; ++i) {
      if (i > 0) key += '.';
      key += std::to_string(v >> (24 - 8 * i) & 0xFFu);
    }
    return key;
  }
  if (p.length == 128) return "IPv6:" + ip::to_string(p.network());
  key = "IPv6";
  char buffer[8];
  for (unsigned i = 0; i < p.length / 16u; ++i) {
    const std::uint64_t half = i < 4 ? p.hi : p.lo;
    std::snprintf(buffer, sizeof buffer, ":%x",
                  static_cast<unsigned>(half >> (48 - 16 * (i % 4)) & 0xFFFFu));
    key += buffer;
  }
  return key;
}

std::string sendmail(const ip::PrefixSet& ranges, std::string_view label) {
  std::string out = "# /etc/mail/access (needs FEATURE(`access_db')): " + std::string(label) +
                    ",\n# split into whole octets because the access map cannot express other "
                    "lengths.\n";
  for (const auto& p : ranges.aligned_prefixes()) out += "Connect:" + sendmail_key(p) + "\tRELAY\n";
  out += "# Then rebuild the map: makemap hash /etc/mail/access < /etc/mail/access\n";
  return out;
}

std::string exchange(const std::vector<ip::Prefix>& prefixes, std::string_view label) {
  std::string out =
      "# Exchange Management Shell: adds " + std::string(label) +
      " to the receive connector\n# the CRM relays through, keeping the ranges "
      "it already has.\n"
      "Set-ReceiveConnector -Identity \"<SERVER>\\<CONNECTOR>\" -RemoteIPRanges @{Add=";
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    out += (i == 0 ? "\"" : ",\"") + ip::to_string(prefixes[i]) + "\"";
  }
  out += "}\n";
  return out;
}

}  // namespace

std::optional<SnippetFormat> parse_snippet_format(std::string_view name) {
  for (auto f : kSnippetFormats) {
    if (to_string(f) == name) return f;
  }
  return std::nullopt;
}

std::string_view to_string(SnippetFormat format) {
  switch (format) {
    case SnippetFormat::plain:
      return "plain";
    case SnippetFormat::postfix:
      return "postfix";
    case SnippetFormat::exim:
      return "exim";
    case SnippetFormat::sendmail:
      return "sendmail";
    case SnippetFormat::exchange:
      return "exchange";
  }
  return "plain";
}

std::string snippet(const ip::PrefixSet& ranges, SnippetFormat format, std::string_view label) {
  const std::vector<ip::Prefix> prefixes = ranges.prefixes();
  switch (format) {
    case SnippetFormat::plain:
      return plain(prefixes);
    case SnippetFormat::postfix:
      return postfix(prefixes, label);
    case SnippetFormat::exim:
      return exim(prefixes, label);
    case SnippetFormat::sendmail:
      return sendmail(ranges, label);
    case SnippetFormat::exchange:
      return exchange(prefixes, label);
  }
  return plain(prefixes);
}

}  // namespace relaycheck::whitelist
