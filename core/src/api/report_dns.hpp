#pragma once
/// The DNS panel of the analysis report (`dnsPanel`): per domain of the config, what its DNS
/// records say and what to publish, read with the same engines and the same DNS data (the
/// config's `dns` section, names not listed being unknown) as the outcomes:
///  - `spf`: the record of the domain as spf::lint reads it (the include tree with the cost of
///    each term, the total against the limit of 10), and a note on when receivers check it at
///    all: the domain's own SPF record matters only for mail whose return path is in the domain.
///  - `publish`: the records to publish, each ready to copy: the SPF record spf::propose makes
///    for the outbound IPs of the domain's relays that do not rewrite the return path (unchanged
///    when they pass already), and a starting DMARC record when none is published.
///  - `missing`: what must be published but cannot be written here: a DKIM key record whose
///    selector is entered but which the DNS data says does not exist (the key comes from whoever
///    signs; relaycheck never invents key bytes).
///  - `dmarc`: the policy discovery (dmarc::discover) with the record read as receivers read it.
///  - `dkim`: per signer with a selector, its key record read by dkim::parse_key_record.
/// Each record says where it came from (`source`): fetched by a live DNS check (the zone
/// entries' `fetched` and `resolver`), entered in the config, or not in the DNS data.

#include <nlohmann/json.hpp>

#include "config/config.hpp"

namespace relaycheck {

/// The panel: an array with one object per domain of the config, in the config's order, written
/// into the report's writer; `dns_panel` reads the same back as a tree (for tests).
void write_dns_panel(text::JsonWriter& w, const Config& config);
nlohmann::json dns_panel(const Config& config);

}  // namespace relaycheck
