#pragma once
/// Authentication outcomes: what SPF, DKIM and DMARC make of every message path of the day plan,
/// computed from the config's own DNS data (the `dns` section) where it has the records, and from
/// what the setup implies where it does not, marked `assumed` with the record that decides.
///
/// The model of one path (domain × email type × route), in the order a receiver meets it:
///  1. The envelope sender (RFC5321.MailFrom) on the final hop. The return-path mode sets it in
///     the CRM: the CRM's bounce domain (`crm`), the From address (`from-address`), or the custom
///     address (`custom-address`); a relay that rewrites the return path replaces it with its own
///     (Relay::return_path_domain) on relayed mail only. Mail that the CRM sends itself (overflow
///     over a relay's cap, during its outage, or of a type no relay carries) keeps the CRM's.
///  2. The client addresses the receiver sees: the relay's outbound IPs, or for mail the CRM sends
///     itself the CRM's ranges. The domain source lists those ranges as the addresses the CRM
///     connects to relays from; using them as its outbound addresses is an assumption, so such
///     results are marked `assumed`.
///  3. SPF (RFC 7208): check_host() of the envelope domain for each client, when the `dns` section
///     has the records; otherwise the result the setup implies (the domain source: SPF fails at
///     the relay hop while the return path names the CRM), marked `assumed`.
///  4. DKIM (RFC 6376): the CRM's signature, unless a relay on the path modifies messages after
///     it was made (a footer or disclaimer changes the body hash, §3.7: the signature fails); the
///     relay's own signature on relayed mail. A key record in `dns` is read with the DKIM engine;
///     without it the key is assumed published and valid.
///  5. Alignment (RFC 9989 §3.2.10): each pass against the From domain under the DMARC record's
///     `aspf`/`adkim`, organizational domains from the Public Suffix List.
///  6. DMARC: pass when an aligned SPF or DKIM pass exists; else the policy that applies (`p`,
///     `sp` or `np`, `t=y` one level weaker, `pct` for RFC 7489 receivers) and its disposition.
///     Without a record DMARC is `none` and the mail is delivered as far as DMARC goes. An ARC
///     seal (RFC 8617) added by a relay is not a DMARC pass.
/// The From domain of every path is the configured domain: the CRM sends the domain's mail with
/// From addresses of that domain.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.hpp"
#include "config/finding.hpp"
#include "plan/plan.hpp"
#include "text/json_writer.hpp"

namespace relaycheck::outcomes {

/// The SPF result of a path, over all its clients.
struct SpfOutcome {
  /// The result receivers see, the worst over the clients (a path passes only if every client
  /// passes): "pass", "fail", "softfail", "neutral", "none", "temperror", "permerror".
  std::string result;
  /// The envelope domain checked (A-labels); empty when it is not known (no bounce domain
  /// entered, a rewriting relay without its return-path domain).
  std::string domain;
  bool aligned = false;
  /// True when the result is implied by the setup rather than computed from `dns`.
  bool assumed = false;
  /// Per client: the address or range and its result.
  struct Client {
    std::string client;
    std::string result;
  };
  std::vector<Client> clients;
  /// How the result was reached, in words: the record and term, or the assumption.
  std::string basis;
  /// The permerror or temperror code of the SPF engine, when there is one.
  std::string code;
  /// DNS names (TXT unless said) that are not in the config's data and decide the result.
  std::vector<std::string> needed;
};

/// One DKIM signature a receiver sees.
struct DkimOutcome {
  std::string signer;  ///< "crm" or "relay"
  std::string domain;  ///< d= (A-labels)
  std::string selector;
  std::string result;  ///< "pass", "fail" (broken on the way), "permerror" (key record)
  bool aligned = false;
  bool assumed = false;  ///< the key record is not in `dns`: taken as published and valid
  std::string reason;
};

/// The DMARC verdict of a path.
struct DmarcOutcome {
  std::string result;  ///< "pass", "fail", "none" (no policy applies)
  /// The policy receivers apply to failing mail ("none", "quarantine", "reject"), after t=y;
  /// empty when no policy applies.
  std::string policy;
  std::string source;    ///< the tag that gave it: "p", "sp", "np"; empty without a policy
  std::string declared;  ///< the policy that tag declares, before t=y; empty without a policy
  /// What happens to the mail: "deliver", "quarantine", "reject".
  std::string disposition;
  std::optional<unsigned> pct;  ///< RFC 7489's pct, when the record has it
  std::string record_domain;    ///< the domain whose record applies
  /// The verdict rests on an assumption: the record is not in `dns` (evaluated as if there were
  /// none), or the aligned pass it rests on is assumed (a key record or SPF data not in `dns`).
  bool assumed = false;
  std::string reason;
};

/// One message path and what authentication makes of it.
struct Outcome {
  plan::MessagePath path;
  /// True for a path the setup allows but that carries no mail today (a relay's overflow route).
  bool potential = false;
  /// The envelope sender's domain on the final hop (A-labels); empty when the config does not
  /// name it, and then `envelope_owner` says whose it is.
  std::string envelope_from;
  /// Whose domain the envelope sender is: "crm" (the CRM's bounce domain), "relay" (a rewriting
  /// relay's), "from" (the From domain), "custom" (the custom return-path address).
  std::string envelope_owner;
  std::vector<std::string> client_ips;
  bool client_ips_assumed = false;
  /// Absent for mail that is not sent today.
  std::optional<SpfOutcome> spf;
  std::vector<DkimOutcome> dkim;
  std::optional<DmarcOutcome> dmarc;
  /// Indexes into Outcomes::findings of the findings that explain this path.
  std::vector<std::size_t> findings;
};

struct Outcomes {
  std::vector<Outcome> paths;
  std::vector<Finding> findings;
};

/// The outcome of every path of `day`, and of the routes the setup allows that carry no mail
/// today. Never throws for a loaded config; a `dns` section that is not a zone is a finding.
Outcomes derive(const Config& config, const plan::Plan& day);

/// Writes `outcomes` of the analysis report: one entry per path with the day plan's key names,
/// and its findings as indexes into the report's `findings`: `finding_index[i]` is where
/// Outcomes::findings[i] landed there, or empty when the report left it out (add_derived drops
/// a finding about a field the loader reported).
void write(text::JsonWriter& out, const Outcomes& outcomes, const Config& config,
           const std::vector<std::optional<std::size_t>>& finding_index);

/// The outcomes (as to_json wrote them) as a matrix in text: one row per path.
std::string format_matrix(const nlohmann::json& outcomes);

}  // namespace relaycheck::outcomes
