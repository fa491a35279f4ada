// Relay configuration snippets of two kinds. "Allow the connection" lets the CRM's ranges reach a
// relay that still requires SMTP AUTH (a password relay); "grant relay" lets them relay without a
// password (an IP-whitelist relay only). Each one adds exactly the given ranges to what the relay
// already has.
#include <cstdio>
#include <string>

#include "rules/whitelist.hpp"

namespace relaycheck::whitelist {
namespace {

constexpr std::string_view kPostfixTable = "/etc/postfix/crm-networks.cidr";
constexpr std::string_view kPostfixClientTable = "/etc/postfix/crm-clients.cidr";

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

// ---- Allow the connection: the relay still requires SMTP AUTH ----

std::string postfix_allow(const std::vector<ip::Prefix>& prefixes, std::string_view label) {
  const std::string table(kPostfixClientTable);
  std::string out = "# Postfix: let " + std::string(label) +
                    " connect; SMTP AUTH stays required.\n"
                    "# 1. Save as " +
                    table + ":\n";
  for (const auto& p : prefixes) out += ip::to_string(p) + "\tOK\n";
  out +=
      "\n# 2. Exempt them from your client checks (blocklists, reverse DNS). Runs once, however\n"
      "#    often it is pasted, and keeps your own restrictions after it:\n"
      "postconf -h smtpd_client_restrictions | grep -q '" +
      table + "' || postconf -e \"smtpd_client_restrictions = check_client_access cidr:" + table +
      " $(postconf -h smtpd_client_restrictions)\"\n"
      "#    OK there ends only the client checks: smtpd_relay_restrictions still asks for SMTP "
      "AUTH\n"
      "#    (permit_sasl_authenticated), so every other tenant of the CRM's data centre still "
      "needs\n"
      "#    the password. Never add these ranges to mynetworks or smtpd_relay_restrictions.\n"
      "postfix reload\n";
  return out;
}

std::string exim_allow(const std::vector<ip::Prefix>& prefixes, std::string_view label) {
  std::string out = "# Exim: let " + std::string(label) +
                    " connect; SMTP AUTH stays required.\n"
                    "# 1. In the main configuration, before \"begin acl\":\n"
                    "hostlist crm_clients = <;";
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    out += (i == 0 ? " " : " ; ") + ip::to_string(prefixes[i]);
  }
  out +=
      "\n# 2. First in the ACL that acl_smtp_connect names (set acl_smtp_connect = "
      "acl_check_connect\n"
      "#    and add that ACL if you have none):\n"
      "#      accept  hosts = +crm_clients\n"
      "# 3. Keep +crm_clients out of relay_from_hosts: the RCPT ACL's \"accept authenticated = "
      "*\"\n"
      "#    then still requires SMTP AUTH from every host in these ranges.\n";
  return out;
}

/// Access-map lines for the ranges with `value`, appended to /etc/mail/access unless already
/// there (pasting twice adds nothing: makemap refuses a duplicate key), then the map rebuilt.
std::string sendmail_lines(const ip::PrefixSet& ranges, std::string_view value) {
  std::string out =
      "# 1. Append to /etc/mail/access, keeping its lines (a line already there is not added\n"
      "#    again; whole octets, because the access map cannot express other lengths):\n"
      "while IFS= read -r line; do\n"
      "  grep -qxsF \"$line\" /etc/mail/access || printf '%s\\n' \"$line\" >> /etc/mail/access\n"
      "done <<'CRM_RANGES'\n";
  for (const auto& p : ranges.aligned_prefixes()) {
    out += "Connect:" + sendmail_key(p) + "\t" + std::string(value) + "\n";
  }
  out +=
      "CRM_RANGES\n"
      "# 2. Rebuild the map:\n"
      "makemap hash /etc/mail/access < /etc/mail/access\n";
  return out;
}

std::string sendmail_allow(const ip::PrefixSet& ranges, std::string_view label) {
  return "# Sendmail: let " + std::string(label) +
         " connect; SMTP AUTH stays required.\n"
         "# OK (not RELAY) accepts the connection only. Needs FEATURE(`access_db').\n" +
         sendmail_lines(ranges, "OK");
}

std::string exchange_allow(const std::vector<ip::Prefix>& prefixes, std::string_view label) {
  std::string out =
      "# Exchange Management Shell: let " + std::string(label) +
      "\n# reach the receive connector the CRM uses, keeping its ranges; the "
      "connector still requires\n# authentication (TLS and a password), so it "
      "grants no relay.\n"
      "Set-ReceiveConnector -Identity \"<SERVER>\\<CONNECTOR>\" -RemoteIPRanges @{Add=";
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    out += (i == 0 ? "\"" : ",\"") + ip::to_string(prefixes[i]) + "\"";
  }
  out +=
      "} -AuthMechanism \"Tls, BasicAuth, BasicAuthRequireTLS\" -PermissionGroups ExchangeUsers\n"
      "# Never give NT AUTHORITY\\ANONYMOUS LOGON the Ms-Exch-SMTP-Accept-Any-Recipient right on "
      "it:\n# every host in these ranges could then relay without a password.\n";
  return out;
}

}  // namespace

std::optional<SnippetKind> parse_snippet_kind(std::string_view name) {
  for (auto k : kSnippetKinds) {
    if (to_string(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view to_string(SnippetKind kind) {
  return kind == SnippetKind::grant_relay ? "grant-relay" : "allow-connection";
}

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

std::string snippet(const ip::PrefixSet& ranges, SnippetFormat format, std::string_view label,
                    SnippetKind kind) {
  const std::vector<ip::Prefix> prefixes = ranges.prefixes();
  const bool relay = kind == SnippetKind::grant_relay;
  switch (format) {
    case SnippetFormat::plain:
      return plain(prefixes);
    case SnippetFormat::postfix:
      return relay ? postfix(prefixes, label) : postfix_allow(prefixes, label);
    case SnippetFormat::exim:
      return relay ? exim(prefixes, label) : exim_allow(prefixes, label);
    case SnippetFormat::sendmail:
      return relay ? sendmail(ranges, label) : sendmail_allow(ranges, label);
    case SnippetFormat::exchange:
      return relay ? exchange(prefixes, label) : exchange_allow(prefixes, label);
  }
  return plain(prefixes);
}

}  // namespace relaycheck::whitelist
