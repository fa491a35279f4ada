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
  const std::string table(kPostfixTable);
  std::string out = "# Postfix, for a relay that authenticates the CRM by address only: let " +
                    std::string(label) +
                    "\n# relay without a password.\n"
                    "# 1. Save as " +
                    table + ":\n";
  for (const auto& p : prefixes) out += ip::to_string(p) + "\tOK\n";
  out +=
      "\n# 2. Permit them first in smtpd_relay_restrictions, keeping your list after them;\n"
      "#    mynetworks stays as it is (set or computed). Runs once, however often it is pasted:\n"
      "postconf -h smtpd_relay_restrictions | grep -q '" +
      table + "' || postconf -e \"smtpd_relay_restrictions = check_client_access cidr:" + table +
      ", $(postconf -h smtpd_relay_restrictions)\"\n"
      "#    If your smtpd_relay_restrictions is empty (relay control in\n"
      "#    smtpd_recipient_restrictions), put the same check before reject_unauth_destination "
      "there.\n"
      "# 3. Ports 587 and 465: the submission and submissions services in /etc/postfix/master.cf\n"
      "#    override this with their -o smtpd_..._restrictions (Debian's template:\n"
      "#    permit_sasl_authenticated,reject). If the CRM connects there, put\n"
      "#    check_client_access cidr:" +
      table +
      " first in that service's\n"
      "#    -o smtpd_recipient_restrictions= and -o smtpd_relay_restrictions= lines.\n"
      "postfix reload\n";
  return out;
}

std::string exim(const std::vector<ip::Prefix>& prefixes, std::string_view label) {
  // `<;` makes `;` the separator, so that IPv6 colons need no doubling.
  std::string out =
      "# Exim, for a relay that authenticates the CRM by address only: let " + std::string(label) +
      "\n# relay without a password. In the main configuration, before \"begin acl\":\n"
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

/// Exchange Online's inbound connectors take IPv4 networks from /24 to /32 only: the ranges as
/// /24 blocks (longer prefixes as they are), or empty when there would be more than 256.
std::vector<std::string> exchange_online_ranges(const std::vector<ip::Prefix>& prefixes) {
  constexpr std::size_t kMost = 256;
  std::vector<std::string> out;
  for (const auto& p : prefixes) {
    if (p.family != ip::Family::v4) continue;
    if (p.length >= 24) {
      out.push_back(ip::to_string(p));
    } else {
      const auto first = static_cast<std::uint32_t>(p.lo);
      const std::uint32_t blocks = std::uint32_t{1} << (24u - p.length);
      if (blocks > kMost) return {};
      for (std::uint32_t b = 0; b < blocks; ++b) {
        const ip::Address network{0, std::uint64_t{first} + (std::uint64_t{b} << 8u),
                                  ip::Family::v4};
        out.push_back(ip::to_string(*ip::make_prefix(network, 24)));
      }
    }
    if (out.size() > kMost) return {};
  }
  return out;
}

std::string exchange(const std::vector<ip::Prefix>& prefixes, std::string_view label) {
  std::string ranges;
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    ranges += (i == 0 ? "\"" : ",\"") + ip::to_string(prefixes[i]) + "\"";
  }
  std::string out =
      "# Exchange Server (Management Shell), for a relay that authenticates the CRM by address\n"
      "# only: let " +
      std::string(label) +
      " relay without a password through a receive\n"
      "# connector of their own (every host in its RemoteIPRanges may relay). RemoteIPRanges "
      "alone\n"
      "# grants nothing: the anonymous permission and the relay right do.\n"
      "Set-ReceiveConnector -Identity \"<SERVER>\\<CONNECTOR>\" -RemoteIPRanges @{Add=" +
      ranges +
      "} -PermissionGroups AnonymousUsers\n"
      "Get-ReceiveConnector -Identity \"<SERVER>\\<CONNECTOR>\" | Add-ADPermission -User "
      "\"NT AUTHORITY\\ANONYMOUS LOGON\" -ExtendedRights \"Ms-Exch-SMTP-Accept-Any-Recipient\"\n"
      "# Exchange Online has no receive connectors: add an inbound connector from your\n"
      "# organisation's mail server (admin center > Mail flow > Connectors, or\n"
      "# New-InboundConnector -ConnectorType OnPremises -RestrictDomainsToIPAddresses $true\n"
      "# -SenderIPAddresses ...). It takes IPv4 networks from /24 to /32 only";
  const auto online = exchange_online_ranges(prefixes);
  if (online.empty()) {
    out += ", and these ranges\n# do not fit in 256 of them.\n";
  } else {
    out += ":\n#   ";
    std::size_t column = 4;
    for (std::size_t i = 0; i < online.size(); ++i) {
      const std::string item = online[i] + (i + 1 < online.size() ? "," : "");
      if (column + item.size() > 96) {
        out += "\n#   ";
        column = 4;
      }
      out += item;
      column += item.size();
    }
    out += "\n";
  }
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

std::string sendmail(const ip::PrefixSet& ranges, std::string_view label) {
  return "# Sendmail, for a relay that authenticates the CRM by address only: let " +
         std::string(label) +
         "\n# relay without a password (RELAY). Needs FEATURE(`access_db').\n" +
         sendmail_lines(ranges, "RELAY");
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
