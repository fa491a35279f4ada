// The rules of one relay server: host, port and TLS, certificate, authentication, whitelist,
// return-path rewriting and daily limit. core/rules.md documents every code.
#include <algorithm>
#include <array>

#include "orgdomain/psl.hpp"
#include "rules/detail.hpp"
#include "rules/rules.hpp"
#include "rules/whitelist.hpp"

namespace relaycheck::rules {
namespace {

/// An address block the CRM's cloud cannot reach over the Internet, and what it is.
struct Reserved {
  std::string_view prefix;
  std::string_view what;
};

/// IANA's special-purpose address registries (RFC 6890 and later), the blocks a relay host can
/// never be in. IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry; IPv6
/// outside 2000::/3 is caught after this table.
constexpr std::array<Reserved, 26> kReserved{{
    {"0.0.0.0/8", "the \"this network\" block (RFC 1122)"},
    {"10.0.0.0/8", "a private network (RFC 1918)"},
    {"100.64.0.0/10", "carrier-grade NAT space (RFC 6598)"},
    {"127.0.0.0/8", "loopback (RFC 1122)"},
    {"169.254.0.0/16", "link-local (RFC 3927)"},
    {"172.16.0.0/12", "a private network (RFC 1918)"},
    {"192.0.0.0/24", "IETF protocol assignments (RFC 6890)"},
    {"192.0.2.0/24", "documentation (TEST-NET-1, RFC 5737)"},
    {"192.88.99.0/24", "the retired 6to4 relay anycast block (RFC 7526)"},
    {"192.168.0.0/16", "a private network (RFC 1918)"},
    {"198.18.0.0/15", "benchmarking (RFC 2544)"},
    {"198.51.100.0/24", "documentation (TEST-NET-2, RFC 5737)"},
    {"203.0.113.0/24", "documentation (TEST-NET-3, RFC 5737)"},
    {"224.0.0.0/4", "multicast (RFC 5771)"},
    {"240.0.0.0/4", "reserved (RFC 1112), with the broadcast address"},
    {"::/128", "the unspecified address (RFC 4291)"},
    {"::1/128", "loopback (RFC 4291)"},
    {"64:ff9b:1::/48", "local-use NAT64 (RFC 8215)"},
    {"100::/64", "discard-only (RFC 6666)"},
    {"2001::/23", "IETF protocol assignments (RFC 6890)"},
    {"2001:db8::/32", "documentation (RFC 3849)"},
    {"2002::/16", "6to4 (RFC 3056), whose relays are gone (RFC 7526)"},
    {"3fff::/20", "documentation (RFC 9637)"},
    {"fc00::/7", "unique local addresses, private IPv6 (RFC 4193)"},
    {"fe80::/10", "link-local (RFC 4291)"},
    {"ff00::/8", "multicast (RFC 4291)"},
}};

/// Special-use domain names (RFC 6761 and its successors) that no public relay can live under.
constexpr std::array<std::string_view, 12> kSpecialUseNames{
    "localhost", "local",    "test",      "example",     "invalid",     "onion",
    "alt",       "internal", "home.arpa", "example.com", "example.net", "example.org"};

/// The reserved block `address` lies in and what it is, or nullopt for a public address.
std::optional<std::pair<std::string, std::string_view>> reserved_block(const ip::Address& address) {
  const ip::Address plain = ip::unmap(address);
  for (const Reserved& r : kReserved) {
    const auto prefix = ip::parse_prefix(r.prefix);
    if (prefix && ip::contains(*prefix.value, plain)) {
      return std::make_pair(ip::to_string(*prefix.value), r.what);
    }
  }
  if (plain.family == ip::Family::v6 && (plain.hi >> 61) != 1) {
    return std::make_pair(
        std::string("2000::/3"),
        std::string_view("outside the global unicast space 2000::/3 (RFC 4291 §2.4)"));
  }
  return std::nullopt;
}

/// Text that was meant as an IP address: two or more colons (IPv6; one colon is a host with a
/// port), or only digits and dots with at least one dot (IPv4).
bool looks_like_address(std::string_view host) {
  if (host.find(':') != std::string_view::npos) {
    return std::count(host.begin(), host.end(), ':') >= 2;
  }
  return host.find('.') != std::string_view::npos &&
         host.find_first_not_of("0123456789.") == std::string_view::npos;
}

std::string_view special_use_suffix(const HostName& name) {
  for (std::string_view suffix : kSpecialUseNames) {
    if (is_same_or_subdomain(name.ascii, suffix)) return suffix;
  }
  return {};
}

void check_host(const Relay& relay, const RelayHost& read, const std::string& path,
                std::vector<Finding>& out) {
  const std::string at = path + "/host";
  const std::string& host = relay.host;
  if (host.empty()) {
    out.push_back(
        {"relay.host.missing", Severity::error, at,
         "The relay has no host, so the CRM cannot connect to it and its mail will not be relayed.",
         "Enter the relay's fully qualified host name or public IP address."});
    return;
  }
  if (read.address) {
    if (auto block = reserved_block(*read.address)) {
      out.push_back({"relay.host.not_public", Severity::error, at,
                     "The relay host " + ip::to_string(*read.address) + " lies in " + block->first +
                         ", " + std::string(block->second) +
                         ": the CRM connects from its cloud over the Internet and cannot reach it, "
                         "so no email will be relayed.",
                     "Enter the relay's public IP address, or a host name that resolves to one; a "
                     "relay behind NAT needs a public address forwarded to it."});
    }
    return;
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    out.push_back({"relay.host.invalid", Severity::error, at,
                   "The relay host " + quote(host, '"') +
                       " is written in brackets; the CRM cannot connect to it as written.",
                   "Write the address without brackets: " +
                       quote(host.substr(1, host.size() - 2), '"') + "."});
    return;
  }
  if (looks_like_address(host)) {
    const auto parsed = ip::parse_address(host);
    out.push_back(
        {"relay.host.invalid", Severity::error, at,
         "The relay host " + quote(host, '"') + " is not a valid IP address (" + parsed.error +
             "), so the CRM cannot connect to it.",
         "Write the relay's public IPv4 address as four numbers 0-255 without leading zeros, "
         "or its IPv6 address, or use its host name."});
    return;
  }
  const auto parsed = parse_host_name(host);
  if (!parsed) {
    out.push_back(
        {"relay.host.invalid", Severity::error, at,
         "The relay host " + quote(host, '"') + " is not a valid host name: " + parsed.error +
             "; the CRM cannot connect to it.",
         "Enter the relay's fully qualified host name (smtp.zylker.com) or public IP address."});
    return;
  }
  const HostName& name = *parsed.value;
  if (name.labels < 2) {
    out.push_back(
        {"relay.host.single_label", Severity::error, at,
         "The relay host \"" + name.unicode +
             "\" is a single label; it only resolves "
             "inside your own network, never from the CRM's cloud, so no email will be relayed.",
         "Enter the fully qualified name (\"" + name.unicode +
             ".zylker.com\", say) of "
             "a host the Internet can resolve and reach."});
    return;
  }
  if (std::string_view suffix = special_use_suffix(name); !suffix.empty()) {
    out.push_back({"relay.host.special_use", Severity::error, at,
                   "The relay host \"" + name.unicode + "\" is under \"" + std::string(suffix) +
                       "\", a special-use name (RFC 6761) that public DNS never resolves to a "
                       "reachable relay; the CRM cannot connect to it.",
                   "Enter the relay's real, publicly resolvable host name."});
  }
}

void check_port_and_security(const Relay& relay, const std::string& path,
                             std::vector<Finding>& out) {
  if (std::find(kRelayPorts.begin(), kRelayPorts.end(), relay.port) == kRelayPorts.end()) {
    std::string ports;  // "25, 465 and 587"
    for (std::size_t i = 0; i < kRelayPorts.size(); ++i) {
      if (i > 0) ports += i + 1 == kRelayPorts.size() ? " and " : ", ";
      ports += std::to_string(kRelayPorts[i]);
    }
    out.push_back(
        {"relay.port.unsupported", Severity::error, path + "/port",
         "Port " + std::to_string(relay.port) +
             " is not one the CRM connects to; it relays only through ports " + ports + ".",
         "Use 587 with STARTTLS (submission), 465 with implicit TLS, or 25 with STARTTLS."});
    return;
  }
  const std::string at = path + "/security";
  if (relay.port == 465 && relay.security != Security::implicit_tls) {
    out.push_back(
        {"relay.security.mismatch", Severity::error, at,
         "Port 465 speaks TLS from the first byte (implicit TLS, RFC 8314), but the relay is set "
         "to " +
             std::string(relay.security == Security::none ? "no TLS" : "STARTTLS") +
             ": the connection fails and no email is relayed.",
         "Choose implicit TLS (the CRM's \"SSL\") for port 465, or use port 587 with STARTTLS."});
  } else if (relay.port != 465 && relay.security == Security::implicit_tls) {
    out.push_back({"relay.security.mismatch", Severity::error, at,
                   "Port " + std::to_string(relay.port) +
                       " starts in plain text and upgrades with STARTTLS (" +
                       (relay.port == 587 ? "submission, RFC 6409" : "RFC 3207") +
                       "), but the relay is set to implicit TLS: the connection fails and no email "
                       "is relayed.",
                   "Choose STARTTLS (the CRM's \"TLS\") for port " + std::to_string(relay.port) +
                       ", or use port 465 for implicit TLS."});
  } else if (relay.security == Security::none) {
    out.push_back(
        {"relay.security.none", Severity::warning, at,
         "The connection to the relay is not encrypted: every email travels in clear text "
         "from the CRM's cloud to your relay, readable and changeable on the way.",
         "Enable STARTTLS on the relay and choose STARTTLS (the CRM's \"TLS\") here."});
  }
}

void check_certificate(const Relay& relay, const RelayHost& read, const std::string& path,
                       std::vector<Finding>& out) {
  if (relay.security == Security::none || (!read.address && !read.name)) return;
  if (!relay.verify_certificate) {
    out.push_back(
        {"relay.certificate.unverified", Severity::warning, path + "/verifyCertificate",
         "The relay's certificate is not verified: anyone between the CRM and the relay "
         "can pose as the relay and read or change every email (a man in the middle).",
         "Turn certificate verification on and enter the host name on the relay's certificate."});
    return;
  }
  const std::string at = path + "/certificateHost";
  if (read.address) {
    out.push_back({"relay.certificate.ip_literal", Severity::warning, path + "/host",
                   "The relay is addressed by its IP address " + ip::to_string(*read.address) +
                       "; certificates are issued for host names, so verification will most likely "
                       "fail and no email will be relayed.",
                   "Connect by the host name on the relay's certificate instead of the address."});
    return;
  }
  if (relay.certificate_host.empty()) {
    out.push_back(
        {"relay.certificate.host_missing", Severity::error, at,
         "Certificate verification is on, but the host name on the relay's certificate is not "
         "entered, so the CRM cannot verify the relay.",
         "Enter the host name on the relay's certificate (usually \"" + read.name->unicode +
             "\")."});
    return;
  }
  const auto pattern = parse_certificate_name(relay.certificate_host);
  if (!pattern) {
    out.push_back({"relay.certificate.host_invalid", Severity::error, at,
                   "The certificate host " + quote(relay.certificate_host, '"') +
                       " is not a valid certificate name: " + pattern.error + ".",
                   "Enter the DNS name exactly as the relay's certificate lists it (\"" +
                       read.name->unicode + "\" or \"*.domain\")."});
    return;
  }
  if (pattern.value->rfind("*.", 0) == 0 &&
      orgdomain::is_public_suffix(pattern.value->substr(2), orgdomain::Sections::icann)) {
    out.push_back(
        {"relay.certificate.host_invalid", Severity::error, at,
         "The certificate name \"" + *pattern.value +
             "\" is a wildcard directly under the "
             "registry-controlled suffix \"" +
             pattern.value->substr(2) +
             "\", which no certificate "
             "authority may issue (CA/Browser Forum Baseline Requirements 3.2.2.6; the Public "
             "Suffix List's ICANN section), so "
             "verification fails and no email is relayed.",
         "Enter the DNS name exactly as the relay's certificate lists it (\"" + read.name->unicode +
             "\" or \"*.\" and your own domain)."});
    return;
  }
  if (!certificate_name_matches(*pattern.value, read.name->ascii)) {
    out.push_back(
        {"relay.certificate.host_mismatch", Severity::error, at,
         "The certificate name \"" + *pattern.value + "\" does not cover the relay host \"" +
             read.name->ascii + "\" (RFC 6125 §6.4): verification fails and no email is relayed.",
         "Connect to a host name the certificate covers, or install a certificate for \"" +
             read.name->unicode + "\" on the relay."});
  }
}

void check_authentication(const crm::RequiredNetworks& required, const Relay& relay,
                          const std::string& path, std::vector<Finding>& out,
                          nlohmann::json* whitelist_results) {
  if (relay.auth == AuthMethod::password) {
    if (relay.security == Security::none) {
      out.push_back(
          {"relay.auth.cleartext_password", Severity::error, path + "/auth",
           "The relay authenticates with a password over a connection without TLS: the "
           "username and password travel in clear text and anyone on the path can take them.",
           "Use STARTTLS on 587 or 25, or implicit TLS on 465."});
    }
    if (relay.username.empty()) {
      out.push_back({"relay.auth.username_missing", Severity::error, path + "/username",
                     "Password authentication needs a username; without one the relay refuses the "
                     "CRM and no email is relayed.",
                     "Enter the username of the relay account the CRM signs in with."});
    }
    const bool built_in = required.label != "custom";
    const std::string ranges =
        built_in ? "the CRM's ranges of data centre " + required.label : "the CRM's ranges";
    out.push_back(
        {"relay.whitelist.recommended", Severity::info, path + "/auth",
         "The relay checks a password, so the CRM needs no whitelist entry to relay through it; "
         "the domain source still recommends publishing " +
             ranges +
             " on the relay. Publish them as hosts allowed to connect, never as trusted "
             "networks: a relay that trusts them (Postfix mynetworks, Exim relay_from_hosts, "
             "Sendmail Connect: RELAY, an anonymous Exchange relay connector) lets every tenant "
             "of the CRM's data centre send mail through it without the password.",
         "Allow " + ranges +
             " to connect and keep SMTP AUTH required (the snippet that lets the CRM connect "
             "does this); keep them out of the relay's trusted networks."});
    return;
  }
  // IP authentication: the address engine's whitelist check (missing CRM ranges, entries
  // that are too broad, bad entries, the shared data centre).
  auto checked = whitelist::check(required.networks, relay.allowed_networks,
                                  path + "/allowedNetworks", required.label, relay.dkim.signs);
  if (relay.port == 465 || relay.port == 587) {
    const std::string service = relay.port == 587 ? "submission" : "submissions";
    out.push_back(
        {"relay.whitelist.submission_port", Severity::warning, path + "/port",
         "The relay authenticates the CRM by address on port " + std::to_string(relay.port) + " (" +
             service +
             "). RFC 6409 §4.3 allows that, but Postfix's submission and submissions services "
             "(commented out in Debian's master.cf, and set to smtpd_recipient_restrictions="
             "permit_sasl_authenticated,reject when enabled) override main.cf's mynetworks and "
             "relay restrictions: unless that service admits the CRM's ranges too, it refuses "
             "the CRM's mail for want of a password.",
         "In master.cf, put check_client_access cidr:/etc/postfix/crm-networks.cidr first in the " +
             service +
             " service's -o smtpd_recipient_restrictions= and -o smtpd_relay_restrictions= "
             "(the Postfix snippet that lets the CRM relay without a password), or relay on port "
             "25."});
  }
  out.insert(out.end(), checked.findings.begin(), checked.findings.end());
  if (whitelist_results != nullptr) {
    nlohmann::json result = checked;
    result.erase("findings");  // they are in the report's findings already
    result["path"] = path;
    result["host"] = relay.host;
    whitelist_results->push_back(std::move(result));
  }
}

}  // namespace

RelayHost read_relay_host(const std::string& host) {
  RelayHost out;
  if (auto address = ip::parse_address(host)) {
    out.address = *address.value;
    out.key = ip::to_string(*address.value);
  } else if (!looks_like_address(host)) {
    if (auto name = parse_host_name(host)) {
      out.key = name.value->ascii;
      out.name = std::move(*name.value);
    }
  }
  return out;
}

void check_relay(const crm::RequiredNetworks& required, const Relay& relay, const std::string& path,
                 std::vector<Finding>& out, nlohmann::json* whitelist_results) {
  const RelayHost read = read_relay_host(relay.host);
  check_host(relay, read, path, out);
  check_port_and_security(relay, path, out);
  check_certificate(relay, read, path, out);
  check_authentication(required, relay, path, out, whitelist_results);
  if (relay.rewrites_return_path) {
    out.push_back(
        {"relay.return_path.rewritten", Severity::warning, path + "/rewritesReturnPath",
         "The relay replaces the return path with its own bounce address: bounces stay on "
         "the relay, so the CRM no longer marks the emails relayed through it as bounced (as "
         "with the From address or a custom address as return path), unless you fetch the "
         "relay's bounce data through its API and bring it into the CRM.",
         "Keep it if the relay manages bounces for you; otherwise turn the rewrite off on the "
         "relay."});
  }
  if (!relay.email_types.empty() && relay.daily_limit == 0) {
    out.push_back(
        {"relay.daily_limit.zero", Severity::warning, path + "/dailyLimit",
         "The relay carries email types but its daily limit is 0: every one of those emails "
         "goes out through the CRM's own servers instead.",
         "Set aside part of the edition's daily limit for this relay."});
  }
}

std::optional<std::string> describe_reserved(const ip::Address& address) {
  auto block = reserved_block(address);
  if (!block) return std::nullopt;
  return block->first + ", " + std::string(block->second);
}

}  // namespace relaycheck::rules
