#pragma once
/// The quota planner: where every email of a day goes, hour by hour. The domain source: the
/// edition has a daily limit; the admin sets aside part of it for each relay; once a relay's
/// daily maximum is reached, further emails of its types go out through the CRM's own servers;
/// the relay never raises the edition's limit. The CRM's troubleshooting notes add that a relay
/// that fails three times in a row is not used for the rest of the day: an outage from an hour.
///
/// The model, in integer arithmetic and fully deterministic:
/// - Each domain's forecast of each email type is spread over the 24 hours of the account's
///   time zone by largest-remainder rounding of its hourly weights (see hourly_counts).
/// - The day is walked hour by hour. Within an hour, mail is served in a fixed order: individual,
///   then workflow, then mass emails, and for each type the domains in config order.
/// - An email is "not sent today" when the edition's limit is already used up: the limit counts
///   relay and CRM mail together. The domain source does not say what the CRM does with such
///   mail (queues it for the next day or drops it); the planner only says it is not sent today.
/// - Otherwise it goes to the first relay of its domain (config order) that lists its type;
///   to the CRM's servers when that relay is down (outage) or has reached its daily limit; and
///   to the CRM's servers when no relay of the domain lists the type. "The first relay" is the
///   planner's assumption: the source says only that each type can have its own relay, not
///   which relay the CRM uses for a type that two relays list (plan.relay.type_unused says so).
/// Every email is counted exactly once (conservation): per domain and type, the routes add up
/// to the forecast.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.hpp"
#include "config/finding.hpp"
#include "config/names.hpp"
#include "text/json_writer.hpp"

namespace relaycheck::plan {

constexpr int kHours = 24;
using Hourly = std::array<std::int64_t, kHours>;

/// The order in which competing mail is served within an hour.
inline constexpr std::array kServeOrder{EmailType::individual, EmailType::workflow,
                                        EmailType::mass};

/// The office-hours profile: equal weight for every hour from 09:00 to 17:00 (hours 9 to 16).
constexpr int kOfficeFirstHour = 9;
constexpr int kOfficeEndHour = 17;

/// Where an email goes.
enum class RouteKind { relay, crm, not_sent };
/// Why an email goes where it goes when that is not its relay.
enum class RouteReason { none, relay_cap, relay_outage, no_relay, edition_limit };

/// Every route, and every reason for one, in the order the page lists them.
inline constexpr std::array kRouteKinds{RouteKind::relay, RouteKind::crm, RouteKind::not_sent};
inline constexpr std::array kRouteReasons{RouteReason::relay_cap, RouteReason::relay_outage,
                                          RouteReason::no_relay, RouteReason::edition_limit};

std::string_view to_string(RouteKind kind);
std::string_view to_string(RouteReason reason);

/// The 24 hourly weights of a forecast's profile: office hours, a burst (the whole volume in the
/// burst hour), flat, or the custom weights. A custom profile without its 24 weights (already
/// reported by the loader) falls back to flat.
std::array<std::int64_t, kHours> profile_weights(const Traffic& traffic);

/// Splits `daily` over the hours in proportion to `weights` by largest-remainder rounding: each
/// hour gets floor(daily × w / W), and the emails left over go one each to the hours with the
/// largest remainders, the earlier hour first on equal remainders. The counts add up to `daily`
/// exactly. Weights that add up to 0 spread the volume flat. Exact for every daily ≤ kMaxCount
/// and weights ≤ kMaxCount (128-bit intermediate products).
Hourly hourly_counts(std::int64_t daily, const std::array<std::int64_t, kHours>& weights);

/// One message path: the emails of one domain and type that take one route. A later analysis
/// evaluates SPF, DKIM and DMARC per path, so every route is its own path.
struct MessagePath {
  std::size_t domain = 0;
  EmailType type = EmailType::mass;
  RouteKind kind = RouteKind::relay;
  RouteReason reason = RouteReason::none;
  /// For `relay`: the relay (index in the domain) that carries the mail. For `crm` with
  /// relay_cap or relay_outage: the relay the mail would have gone through. Otherwise empty.
  std::optional<std::size_t> relay;
  Hourly hourly{};
  std::int64_t total = 0;
};

/// What the plan says about one relay.
struct RelayPlan {
  std::size_t domain = 0;
  std::size_t relay = 0;
  std::int64_t daily_limit = 0;
  /// The mail offered to the relay while it is up and within the edition's limit: what it would
  /// carry with no daily limit.
  std::int64_t demand = 0;
  std::int64_t carried = 0;
  /// Mail that went to the CRM's servers because the relay had reached its limit / was down.
  std::int64_t over_cap = 0;
  std::int64_t during_outage = 0;
  Hourly hourly{};
  /// The first hour at whose end the relay is full (its offered mail reached its limit).
  std::optional<int> cap_reached_hour;
};

/// One relay's share in the suggested allocation.
struct RelayShare {
  std::size_t domain = 0;
  std::size_t relay = 0;
  std::int64_t current = 0;
  std::int64_t carries_now = 0;
  std::int64_t suggested = 0;
  std::int64_t carries_suggested = 0;
};

/// The split of the edition's limit among relays that carries the most mail through relays.
///
/// Method: which emails are sent today does not depend on the relays' limits, because the
/// edition's limit counts relay and CRM mail together; a limit only decides whether a sent email
/// goes through its relay or through the CRM. So each relay r has a fixed demand d_r (the mail
/// offered to it while up and within the edition's limit, from the planner run with no relay
/// limits), and with a limit a_r it carries exactly min(a_r, d_r). Hence:
///   relayed(a) = Σ min(a_r, d_r) ≤ Σ d_r            for every allocation a, and
///   a_r = d_r is feasible: Σ d_r ≤ mail sent today ≤ the edition's limit.
/// So a_r = d_r is optimal (and the smallest optimal limit for each relay); the rest of the
/// edition's limit, `unassigned`, is left to the CRM's servers (or as headroom). The unit tests
/// check this against brute force over every allocation of small random cases.
struct Allocation {
  std::vector<RelayShare> relays;
  std::int64_t edition_daily_limit = 0;
  std::int64_t relayed_now = 0;
  std::int64_t relayed_suggested = 0;
  std::int64_t unassigned = 0;
};

/// Totals over the day (saturated at kMaxCount: see Plan::saturated).
struct Totals {
  std::int64_t forecast = 0;
  std::int64_t relay = 0;
  std::int64_t crm = 0;
  std::int64_t not_sent = 0;
};

struct Plan {
  std::int64_t edition_daily_limit = 0;
  std::string time_zone;
  /// Every path that carries mail, in serve order (type, then domain), then route order.
  std::vector<MessagePath> paths;
  /// Every relay of every domain, in config order.
  std::vector<RelayPlan> relays;
  Totals totals;
  /// Per hour: all relays, the CRM's servers, not sent.
  Hourly hourly_relay{};
  Hourly hourly_crm{};
  Hourly hourly_not_sent{};
  /// The first hour at whose end the edition's limit is used up.
  std::optional<int> edition_reached_hour;
  Allocation allocation;
  /// True when a day total exceeded kMaxCount and was capped there (forecasts beyond what
  /// JavaScript counts exactly); per-path counts are always exact.
  bool saturated = false;
  std::vector<Finding> findings;
};

/// Plans the day of `config`. Never throws for any loaded config.
Plan make_plan(const Config& config);

/// The plan as a document for the page (`plan` in the analysis report) and the `plan` method:
/// written as JSON text by `write`, and read back into a tree by `to_json`.
void write(text::JsonWriter& out, const Plan& plan, const Config& config);
nlohmann::json to_json(const Plan& plan, const Config& config);

/// The plan as a person reads it: hours × routes, relays, paths, allocation, then `findings`
/// (the plan's own, or those together with the config's).
std::string format_plan_text(const Plan& plan, const Config& config,
                             const std::vector<Finding>& findings);

/// The plan for spreadsheets: one row per path and hour (RFC 4180 CSV).
std::string format_plan_csv(const Plan& plan, const Config& config);

/// 1234567 → "1,234,567".
std::string format_count(std::int64_t value);

/// 9 → "09:00": an hour of the day as the plan names it.
std::string format_hour(int hour);

/// A path's route as the tables name it: "relay smtp1", "CRM: smtp1 full", "CRM: smtp1 down",
/// "CRM: no relay for the type", "not sent today".
std::string route_label(const MessagePath& path, const Names& names);

/// A text table: the first row is the header; columns flagged in `numeric` align right; widths
/// count characters as people see them.
std::string text_table(const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric);

}  // namespace relaycheck::plan
