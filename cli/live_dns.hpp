#pragma once
/// Live DNS for the CLI (issue 17): `relaycheck dns fetch`, and `--live` for `analyze` and
/// `spf check|lint`. Core plans the lookups (dns.plan, or spf.check/spf.lint's `needed`),
/// encodes each query (dns.query), reads each answer (dns.answer) and merges the answers into the
/// DNS data (dns.merge); this side only carries the bytes (dns_client.hpp) and loops until
/// nothing more is needed or a limit is reached. Progress goes to stderr, one line per round.

#include <cstddef>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace relaycheck::cli {

/// The options every live command takes, for parse_args()'s value options:
///   --server IP[:PORT]   a resolver (repeatable: tried in order); default: resolv.conf's
///   --resolv-conf FILE   where the nameservers are listed (default /etc/resolv.conf)
///   --timeout S          seconds to wait for one answer from one server (default 3, 0.1-60)
inline const std::set<std::string> kLiveValueOptions{"--server", "--resolv-conf", "--timeout"};

/// The flags of `dns fetch` and `analyze --live`:
///   --missing-only   fetch only the records the config lacks, keep those it holds (by default
///                    every record the analysis reads is fetched again, and one that differs
///                    from the config's is replaced and reported: dns.records.changed)
inline const std::set<std::string> kLiveFlagOptions{"--missing-only"};

/// The most lookups one run makes, over all its rounds, and the most rounds.
constexpr std::size_t kMaxLiveLookups = 200;
constexpr std::size_t kMaxLiveRounds = 20;

/// Throws Unusable when a live option is given without `--live` (for analyze, spf check|lint).
void reject_live_options_without_live(const Args& args);

/// Runs the lookup loop over the config (its JSON text, as read from `source`) and returns the
/// config with its `dns` section filled (all of it fetched anew, or with --missing-only what
/// was missing). Throws Unusable when the config cannot be read (as
/// `analyze` would), when the options are wrong, and when no resolver answered any lookup.
nlohmann::json fetch_config(const Args& args, const std::string& config_text,
                            const std::string& source);

/// For `spf check|lint --live`: `request` is the spf.check or spf.lint request, its "zone" the
/// zone map to start from (an object; {} when no --zone was given). Calls `method` with
/// "zoneMode": "unknown" and fetches what its `needed` lists until nothing is, then leaves the
/// filled zone in request["zone"] and "zoneMode": "unknown" in the request (a name still not
/// fetched at the limit stays unknown rather than reading as nonexistent).
void fetch_spf_zone(const std::string& method, nlohmann::json& request, const Args& args);

}  // namespace relaycheck::cli
