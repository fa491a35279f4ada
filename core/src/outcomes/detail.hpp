#pragma once
/// The parts of the outcome analysis (outcomes.hpp states the model), one per step of a path.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/names.hpp"
#include "dmarc/discovery.hpp"
#include "ip/ip.hpp"
#include "outcomes/outcomes.hpp"
#include "spf/dns_view.hpp"
#include "spf/spf.hpp"

namespace relaycheck::outcomes {

/// What every step reads: the config, its names, its DNS data as a view (names it does not list
/// are unknown, not absent), and the CRM's ranges.
struct Context {
  const Config& config;
  Names names;
  /// The `dns` section as a zone; an empty zone when the section is not one (a finding says so).
  std::optional<spf::ZoneView> zone;
  spf::RecordCache cache;
  /// The CRM's ranges for its data centre (or the pasted list), aggregated.
  std::vector<ip::Prefix> crm_ranges;
  /// Per domain: the From domain in A-labels ("" when the name is not valid).
  std::vector<std::string> from_domains;
  /// Per domain: the DMARC policy discovered in `zone`.
  std::vector<dmarc::Discovery> dmarc;
  /// SPF from the DNS data per envelope domain, HELO name and client list (spf_path.cpp), the
  /// part of a path's SPF outcome that depends on nothing else.
  std::map<std::string, SpfOutcome> spf_checked;
  /// aligns() per domain, identifier and kind: every path asks again, and the organizational
  /// domain of a name costs a Public Suffix List lookup. A cache of a pure function, so const
  /// steps may fill it.
  mutable std::map<std::string, bool> alignment;

  /// A view that replaces `zone` when set (the lookup plan's recording view, dns/lookup_plan.hpp);
  /// it must outlive the context.
  const spf::DnsView* view = nullptr;

  explicit Context(const Config& c) : config(c), names(c) {}
  const spf::DnsView& dns() const { return view != nullptr ? *view : *zone; }
};

/// Builds the context; appends a finding when the `dns` section is not a zone.
void prepare(Context& context, std::vector<Finding>& findings);

/// Every path of the plan, then the routes the setup allows that carry no mail today (a relay's
/// overflow and outage routes), with the envelope domain and the clients of each.
std::vector<Outcome> enumerate_paths(const Context& context, const plan::Plan& day);

/// Everything the analysis reads from DNS, in derive()'s order: DMARC discovery per From domain,
/// then each path with its SPF, DKIM and DMARC evaluated. derive() explains the result; the live
/// DNS lookup plan runs it over a recording view to learn which records are still missing.
std::vector<Outcome> evaluate_paths(Context& context, const plan::Plan& day);

/// A client as people write it: an address alone for a host route, else the prefix.
std::string client_text(const ip::Prefix& prefix);

/// The relay a path's mail goes through, when it goes through one.
const Relay* relay_of(const Config& config, const plan::MessagePath& path);

/// Step 3: SPF of one path.
SpfOutcome evaluate_spf(Context& context, const Outcome& outcome);

/// Step 4: the DKIM signatures that arrive.
std::vector<DkimOutcome> evaluate_dkim(const Context& context, const Outcome& outcome);

/// True when the path has an SPF or DKIM pass aligned with its From domain (DMARC passes, or
/// would pass once a record is published).
bool has_aligned_pass(const Outcome& outcome);

/// Step 6: DMARC from the SPF and DKIM outcomes and the domain's discovered policy.
DmarcOutcome evaluate_dmarc(const Context& context, const Outcome& outcome);

/// The alignment mode of a domain's DMARC record for SPF (`aspf`) or DKIM (`adkim`): relaxed
/// when there is no record.
bool aligns(const Context& context, std::size_t domain, const std::string& identifier, bool dkim);

/// The findings that explain the outcomes, each linked to the paths it is about.
void explain(const Context& context, std::vector<Outcome>& outcomes,
             std::vector<Finding>& findings);

/// "through smtp.zylker.com" or "through the CRM's servers (relay cap of smtp.zylker.com)".
std::string route_words(const Context& context, const plan::MessagePath& path);

}  // namespace relaycheck::outcomes
