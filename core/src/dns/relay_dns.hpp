#pragma once
/// The relay checks that need live DNS data (issue 17), read from the config's `dns` section (or
/// any DnsView): what the relay host resolves to, and the reverse DNS of each outbound address.
///
///   relay.host.unresolved        error    the host has no A and no AAAA record (NXDOMAIN or no
///                                         data for both): the CRM cannot connect to it
///   relay.host.resolves_private  error    every address of the host is in a block the CRM's
///                                         cloud cannot reach (RFC 1918, loopback, ...);
///                                warning  only some are: the CRM may pick one of them
///   relay.ptr.missing            warning  an outbound address has no PTR record
///   relay.ptr.unconfirmed        warning  no PTR name resolves back to the address (forward-
///                                         confirmed reverse DNS fails)
///   relay.dns.temporary          info     a lookup of these checks failed temporarily
///                                         (SERVFAIL, timeout): fetch again, nothing is failing
/// Answers the view does not have yet ("unknown") give no finding: the lookup plan asks for them
/// and `outcome.dns.missing` lists what the outcomes assumed. A host given as an IP literal is
/// the static rules' business (`relay.host.not_public`), and so are hosts that are not names.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/finding.hpp"
#include "ip/ip.hpp"
#include "spf/dns_view.hpp"

namespace relaycheck::dns {

/// Describes the special-purpose block an address lies in ("10.0.0.0/8, a private network (RFC
/// 1918)"), or nullopt for a public address: the static relay rules' table (rules/relay.cpp).
using ReservedBlockFn = std::function<std::optional<std::string>(const ip::Address&)>;

/// The findings above for every relay of every domain, in config order.
std::vector<Finding> relay_dns_findings(const Config& config, const spf::DnsView& dns,
                                        const ReservedBlockFn& reserved);

}  // namespace relaycheck::dns
