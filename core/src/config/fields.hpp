#pragma once
/// The admin's words for every field the config can hold, and where a finding is in those words.
/// One table serves the page's editor (its field labels, through the `form` method), the
/// location of each finding in the `analyze` report ("zylker.com › smtp.zylker.com › Daily
/// limit" rather than /domains/0/relays/0/dailyLimit), and the wording of messages that name a
/// field ("Account › CRM bounce domains" rather than account.bounceDomains).

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.hpp"
#include "config/names.hpp"

namespace relaycheck {

/// How one item of a list field is named in a location: a line of a box that takes one entry
/// per line, an entry of a set of checkboxes, or an hour of the 24 hourly weights.
enum class ItemWord { none, line, entry, hour };

/// One field of the config: its JSON Pointer with `*` for each index, domain's traffic type and
/// DNS owner name; the admin's label; a hint the editor shows beside it (may be empty).
struct FieldLabel {
  std::string_view pattern;
  std::string_view label;
  std::string_view hint;
  ItemWord items = ItemWord::none;
};

/// Every field of schema 2 (and the two schema-1 fields a file may still hold), in file order.
/// Exhaustive: a test compares it with every member that to_json writes.
inline constexpr std::array<FieldLabel, 48> kFieldLabels{{
    {"/schema", "Schema version", "", ItemWord::none},
    {"/account", "Account", "", ItemWord::none},
    {"/account/dataCenter", "CRM data centre", "", ItemWord::none},
    {"/account/crmRanges", "CRM source ranges", "replace the built-in list; one range per line",
     ItemWord::line},
    {"/account/bounceDomains", "CRM bounce domains",
     "to be supplied: the domain source lists none; one domain per line", ItemWord::line},
    {"/account/editionDailyLimit", "Edition's daily email limit", "", ItemWord::none},
    {"/account/timeZone", "Time zone", "", ItemWord::none},
    {"/account/crmDkim", "CRM signs DKIM (schema 1)", "", ItemWord::none},
    {"/domains", "Domains", "", ItemWord::none},
    {"/domains/*/name", "Domain name", "", ItemWord::none},
    {"/domains/*/returnPath", "Return path", "", ItemWord::none},
    {"/domains/*/returnPathAddress", "Return-path address", "", ItemWord::none},
    {"/domains/*/crmDkim", "CRM's DKIM signature", "", ItemWord::none},
    {"/domains/*/crmDkim/enabled", "CRM signs DKIM", "", ItemWord::none},
    {"/domains/*/crmDkim/domain", "CRM's DKIM signing domain (d=)", "", ItemWord::none},
    {"/domains/*/crmDkim/selector", "CRM's DKIM selector (s=)", "", ItemWord::none},
    {"/domains/*/relays", "Relays", "", ItemWord::none},
    {"/domains/*/relays/*/host", "Host", "", ItemWord::none},
    {"/domains/*/relays/*/port", "Port", "", ItemWord::none},
    {"/domains/*/relays/*/security", "Security", "", ItemWord::none},
    {"/domains/*/relays/*/verifyCertificate", "Verify certificate", "", ItemWord::none},
    {"/domains/*/relays/*/certificateHost", "Host name on the certificate", "", ItemWord::none},
    {"/domains/*/relays/*/auth", "Authentication", "", ItemWord::none},
    {"/domains/*/relays/*/username", "User name", "", ItemWord::none},
    {"/domains/*/relays/*/password", "Password", "kept in this tab only, never saved",
     ItemWord::none},
    {"/domains/*/relays/*/allowedNetworks", "Networks the relay accepts mail from",
     "one network per line, in CIDR form", ItemWord::line},
    {"/domains/*/relays/*/dailyLimit", "Daily limit", "", ItemWord::none},
    {"/domains/*/relays/*/emailTypes", "Carries", "", ItemWord::entry},
    {"/domains/*/relays/*/outboundIps", "Relay's outbound IPs", "for SPF; one address per line",
     ItemWord::line},
    {"/domains/*/relays/*/modifiesMessages", "Modifies messages", "footers, disclaimers",
     ItemWord::none},
    {"/domains/*/relays/*/dkim", "Relay's DKIM signature", "", ItemWord::none},
    {"/domains/*/relays/*/dkim/signs", "Signs DKIM itself", "", ItemWord::none},
    {"/domains/*/relays/*/dkim/domain", "Relay's DKIM signing domain (d=)", "", ItemWord::none},
    {"/domains/*/relays/*/dkim/selector", "Relay's DKIM selector (s=)", "", ItemWord::none},
    {"/domains/*/relays/*/signsDkim", "Signs DKIM itself (schema 1)", "", ItemWord::none},
    {"/domains/*/relays/*/rewritesReturnPath", "Rewrites the return path", "", ItemWord::none},
    {"/domains/*/relays/*/returnPathDomain", "Relay's return-path domain", "", ItemWord::none},
    {"/domains/*/relays/*/outageFromHour", "Down from hour", "empty: no outage", ItemWord::none},
    {"/domains/*/traffic", "Expected daily volume", "", ItemWord::none},
    {"/domains/*/traffic/*/daily", "Emails a day", "", ItemWord::none},
    {"/domains/*/traffic/*/profile", "Spread over the day", "", ItemWord::none},
    {"/domains/*/traffic/*/burstHour", "Burst at hour", "", ItemWord::none},
    {"/domains/*/traffic/*/weights", "Hourly weights", "from 00:00, separated by commas",
     ItemWord::hour},
    {"/dns", "DNS records", "", ItemWord::none},
    {"/dns/*/*/type", "Record type", "", ItemWord::none},
    {"/dns/*/*/data", "Record text", "", ItemWord::none},
    {"/dns/*/*/fetched", "Fetched at", "", ItemWord::none},
    {"/dns/*/*/resolver", "Resolver that answered", "", ItemWord::none},
}};

/// The label of a pattern of kFieldLabels ("/domains/*/relays/*/dailyLimit" → "Daily limit"),
/// or empty when the table has none.
std::string_view field_label(std::string_view pattern);

/// The pattern of a JSON Pointer into a config: each domain and relay index, traffic type, DNS
/// owner name, DNS record index and list index becomes `*`.
std::string field_pattern(std::string_view pointer);

/// Where a finding at `pointer` is, in the admin's words: the domain and relay as Names names
/// them, then the field's label, e.g. {"zylker.com", "smtp.zylker.com", "Daily limit"};
/// {"Account", "CRM bounce domains", "Line 2"}; {"The whole setup"} for the empty pointer. A
/// member the table does not know (a misspelt field) is shown quoted as written.
std::vector<std::string> field_location(std::string_view pointer, const Config& config,
                                        const Names& names);

/// The segments joined as the page and the text report show them: "zylker.com › Daily limit".
std::string location_text(const std::vector<std::string>& location);

/// "Account › CRM bounce domains": how a message names a field of the account (the pattern
/// must be in kFieldLabels).
std::string account_field(std::string_view pattern);

/// {pattern: {"label": ..., "hint": ...}} for every field, for the `form` method.
nlohmann::json field_labels_json();

}  // namespace relaycheck
