#pragma once
/// The whitelist of a relay that authenticates the CRM by source address: which CRM ranges it
/// misses (that mail is refused), which entries admit far too much (an open relay), and the
/// snippets that add exactly the CRM's ranges to a relay's existing configuration.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/finding.hpp"
#include "ip/prefix_set.hpp"

namespace relaycheck::whitelist {

/// An allowed entry that admits more than it should.
struct BroadEntry {
  std::size_t index = 0;      ///< its position in the allowed list
  ip::Prefix prefix;          ///< as read (host bits masked)
  std::string addresses;      ///< how many addresses it admits, in decimal
  std::string crm_addresses;  ///< how many of those are the CRM's, in decimal
  std::string beyond_crm;     ///< how many public addresses it admits beyond the CRM's ranges
  Severity severity = Severity::warning;
};

/// Numbers of addresses per family, in decimal (IPv6 counts reach 2^128).
struct Counts {
  std::string ipv4 = "0";
  std::string ipv6 = "0";
};

struct Result {
  std::vector<ip::Prefix> required;  ///< the CRM's ranges, aggregated
  std::vector<ip::Prefix> missing;   ///< the fewest CIDR blocks to add so that all are admitted
  std::vector<BroadEntry> broad;
  Counts required_addresses;
  Counts missing_addresses;
  /// Every problem, with paths under the pointer given to `check`.
  std::vector<Finding> findings;
};

/// Checks the allowed networks of one relay that authenticates by IP against the CRM's ranges.
/// `required`: the CRM's ranges (crm::required_networks). `allowed`: the relay's entries as
/// written in the config. `pointer`: the JSON Pointer of that list; a finding about entry i
/// points at `pointer`/i, the others at `pointer`. `data_center`: named in messages ("US").
/// `relay_signs_dkim`: the relay adds its own DKIM signature to what it relays.
/// Findings: whitelist.invalid_entry, whitelist.missing_ranges (error, with the CIDRs to add),
/// whitelist.open_to_internet (/0), whitelist.too_broad (error: half a /16 of IPv4 or half a
/// /32 of IPv6 or more public addresses beyond the CRM's ranges), whitelist.broader_than_needed
/// (warning: any public address beyond the CRM's ranges in an entry that covers some of them,
/// or more than a /20 or /48 in one that covers none), whitelist.shared_data_center (warning:
/// every tenant of that data centre can relay), whitelist.shared_data_center_dkim (error, instead
/// of the warning when the relay signs: any tenant can send DMARC-passing mail as the domain).
Result check(const ip::PrefixSet& required, const std::vector<std::string>& allowed,
             std::string_view pointer, std::string_view data_center, bool relay_signs_dkim = false);

/// How far a prefix reaches, judged as the family it filters (IPv4-mapped IPv6 as IPv4):
/// `everything` is /0; `wide` is public space shorter than /16 (IPv4) or /32 (IPv6).
enum class Reach { limited, wide, everything };
Reach reach(const ip::Prefix& prefix);

void to_json(nlohmann::json& out, const Result& result);

enum class SnippetFormat { plain, postfix, exim, sendmail, exchange };
/// Every snippet format, in the order the report and the page list them.
inline constexpr std::array kSnippetFormats{SnippetFormat::plain, SnippetFormat::postfix,
                                            SnippetFormat::exim, SnippetFormat::sendmail,
                                            SnippetFormat::exchange};

/// "plain", "postfix", ...; nullopt for anything else.
std::optional<SnippetFormat> parse_snippet_format(std::string_view name);
std::string_view to_string(SnippetFormat format);

/// What a snippet does with the CRM's ranges. A relay that checks a password needs only to let
/// the CRM connect: SMTP AUTH stays required, so the other tenants of the CRM's data centre
/// still need the password. Granting relay (Postfix mynetworks, Exim relay_from_hosts, Sendmail
/// `Connect: RELAY`, an anonymous Exchange relay connector) lets every host in the ranges relay
/// without a password: right for an IP-whitelist relay only.
enum class SnippetKind { allow_connection, grant_relay };
inline constexpr std::array kSnippetKinds{SnippetKind::allow_connection, SnippetKind::grant_relay};

/// "allow-connection" or "grant-relay"; nullopt for anything else.
std::optional<SnippetKind> parse_snippet_kind(std::string_view name);
std::string_view to_string(SnippetKind kind);

/// Configuration text that adds exactly `ranges` to a relay's existing configuration (never
/// replacing what it has), of the given kind. `label` says whose ranges they are, for the
/// comments ("the CRM's US data-centre ranges"). Plain is one CIDR a line, without comments,
/// for either kind.
std::string snippet(const ip::PrefixSet& ranges, SnippetFormat format, std::string_view label,
                    SnippetKind kind);

}  // namespace relaycheck::whitelist
