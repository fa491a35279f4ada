#include "plan/plan.hpp"

#include "config/names.hpp"

#include <algorithm>
#include <numeric>
#include <optional>
#include <queue>

namespace relaycheck::plan {
namespace {

// 128-bit products for the largest-remainder split (daily × weight < 2^106). GCC and clang
// (Emscripten's too) provide the type; __extension__ keeps -Wpedantic quiet about it.
__extension__ typedef unsigned __int128 Wide;

/// The route slots of one stream (domain × type), in path order.
enum Slot : std::size_t { kRelay, kCrmCap, kCrmOutage, kCrmNoRelay, kNotSent, kSlots };

constexpr std::array<RouteKind, kSlots> kSlotKind{RouteKind::relay, RouteKind::crm, RouteKind::crm,
                                                  RouteKind::crm, RouteKind::not_sent};
constexpr std::array<RouteReason, kSlots> kSlotReason{
    RouteReason::none, RouteReason::relay_cap, RouteReason::relay_outage, RouteReason::no_relay,
    RouteReason::edition_limit};

/// The emails of one domain and type, as the walk routes them.
struct Stream {
  std::size_t domain = 0;
  EmailType type = EmailType::mass;
  const Traffic* traffic = nullptr;
  /// The day's volume of the stream (a known forecast above 0).
  std::int64_t daily = 0;
  Hourly counts{};
  /// Index into Plan::relays of the relay that carries the type, if any.
  std::optional<std::size_t> relay;
  std::array<Hourly, kSlots> routes{};
  std::array<std::int64_t, kSlots> totals{};
};

/// a + b for counts in [0, kMaxCount], capped at kMaxCount; sets `saturated` when capped.
std::int64_t add_capped(std::int64_t a, std::int64_t b, bool& saturated) {
  if (a > kMaxCount - b) {
    saturated = true;
    return kMaxCount;
  }
  return a + b;
}

std::string relay_pointer(std::size_t domain, std::size_t relay) {
  return "/domains/" + std::to_string(domain) + "/relays/" + std::to_string(relay);
}

/// "1,226 mass and 674 workflow emails" from counts per type in serve order.
std::string emails_by_type(const std::array<std::int64_t, 3>& by_type) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < kServeOrder.size(); ++i) {
    if (by_type[i] > 0)
      parts.push_back(format_count(by_type[i]) + " " + std::string(to_string(kServeOrder[i])));
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out + (by_type[0] + by_type[1] + by_type[2] == 1 ? " email" : " emails");
}

/// The verb for what emails_by_type names: "go" for many, "goes" for one email.
std::string_view verb(const std::array<std::int64_t, 3>& by_type, std::string_view one,
                      std::string_view many) {
  return by_type[0] + by_type[1] + by_type[2] == 1 ? one : many;
}

/// True when the domain lists a forecast for a type the relay carries but nobody knows it yet
/// (schema 2's `"daily": null`): the relay's share of the day is then unknown too.
bool forecast_unknown(const Domain& domain, const Relay& relay) {
  return std::any_of(domain.traffic.begin(), domain.traffic.end(), [&](const Traffic& t) {
    return !t.daily && std::find(relay.email_types.begin(), relay.email_types.end(), t.type) !=
                           relay.email_types.end();
  });
}

std::size_t serve_index(EmailType type) {
  return static_cast<std::size_t>(std::find(kServeOrder.begin(), kServeOrder.end(), type) -
                                  kServeOrder.begin());
}

/// What differs for mail that goes through the CRM's servers instead of `relay`, as far as the
/// config shows it; empty when nothing does. What SPF, DKIM and DMARC make of that mail is not
/// said here: the outcomes compute it per route (outcome.* findings), in one place.
std::string overflow_difference(const Relay& relay) {
  std::vector<std::string> parts;
  if (relay.dkim.signs) parts.emplace_back("without the relay's DKIM signature");
  if (relay.rewrites_return_path) parts.emplace_back("with the CRM's return path, not the relay's");
  if (relay.modifies_messages) {
    parts.emplace_back("without the relay's changes (disclaimers, footers)");
  }
  if (parts.empty()) return {};
  std::string out = " That mail goes out ";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  }
  return out + "; the outcomes show its SPF, DKIM and DMARC per route.";
}

/// The streams of the day in serve order: type by type (individual, workflow, mass), domains in
/// config order within a type. Also reports forecasts whose custom weights add up to 0, and
/// relays whose type an earlier relay of the same domain already carries.
std::vector<Stream> make_streams(const Config& config, const Names& names,
                                 const std::vector<std::size_t>& relay_base,
                                 std::vector<Finding>& findings) {
  std::vector<Stream> streams;
  streams.reserve(config.domains.size() * kServeOrder.size());
  for (EmailType type : kServeOrder) {
    for (std::size_t d = 0; d < config.domains.size(); ++d) {
      const Domain& domain = config.domains[d];
      const auto t = std::find_if(domain.traffic.begin(), domain.traffic.end(),
                                  [type](const Traffic& x) { return x.type == type; });
      // An unknown forecast (schema 2's "daily": null) is planned as 0 emails, says so, and no
      // limit advice rests on it (forecast_unknown): the one place that decides it.
      const std::string type_name(to_string(type));
      if (t != domain.traffic.end() && !t->daily) {
        findings.push_back(
            {"plan.forecast.unknown", Severity::info,
             "/domains/" + std::to_string(d) + "/traffic/" + type_name + "/daily",
             "The " + type_name + " forecast of " + names.domain(d) +
                 " is not entered: the plan counts none of these emails, and gives no "
                 "daily-limit advice for the relays that carry them.",
             "Enter the expected number of " + type_name + " emails a day for " + names.domain(d) +
                 "."});
      }
      const std::int64_t daily = t == domain.traffic.end() ? 0 : t->daily.value_or(0);
      if (daily == 0) continue;
      Stream s;
      s.domain = d;
      s.type = type;
      s.traffic = &*t;
      s.daily = daily;
      const auto weights = profile_weights(*t);
      if (t->profile == TrafficProfile::custom && t->weights.size() == kHours &&
          std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; })) {
        findings.push_back(
            {"plan.traffic.no_weights", Severity::error,
             "/domains/" + std::to_string(d) + "/traffic/" + type_name + "/weights",
             "Every hourly weight of the " + type_name + " forecast of " + names.domain(d) +
                 " is 0, so its " + format_count(daily) +
                 " emails have no hour to go out in; the plan spreads them evenly over the day.",
             "Give the hours in which the emails go out a weight above 0, or choose the flat "
             "profile."});
      }
      s.counts = hourly_counts(daily, weights);
      for (std::size_t r = 0; r < domain.relays.size(); ++r) {
        const auto& types = domain.relays[r].email_types;
        if (std::find(types.begin(), types.end(), type) == types.end()) continue;
        if (!s.relay) {
          s.relay = relay_base[d] + r;
          continue;
        }
        const std::size_t first = *s.relay - relay_base[d];
        // An assumption, not the CRM's documented behaviour: the source says only that each
        // type can have its own relay (domain.email_type.conflict says the same in the setup).
        findings.push_back(
            {"plan.relay.type_unused", Severity::info, relay_pointer(d, r) + "/emailTypes",
             "Relay " + names.relay(d, r) + " lists " + type_name + " emails, as relay " +
                 names.relay(d, first) +
                 " does. The CRM's documentation does not say which of the two it uses; this plan "
                 "assumes the first in the config, relay " +
                 names.relay(d, first) + ", carries all of " + names.domain(d) + "'s " + type_name +
                 " emails and this relay none, even when the first one is full "
                 "(they then go through the CRM's servers).",
             "Remove " + type_name +
                 " from one of the two relays, so that the routing does not rest on that "
                 "assumption."});
      }
      streams.push_back(s);
    }
  }
  return streams;
}

/// Walks the day: hour by hour, streams in serve order. Fills the streams' routes and the relays.
void walk_day(const Config& config, std::vector<Stream>& streams, Plan& plan) {
  std::int64_t edition_left = config.account.edition_daily_limit;
  std::vector<std::int64_t> cap_left;
  for (const auto& r : plan.relays) cap_left.push_back(r.daily_limit);
  for (int h = 0; h < kHours; ++h) {
    const auto hi = static_cast<std::size_t>(h);
    for (Stream& s : streams) {
      const std::int64_t n = s.counts[hi];
      if (n == 0) continue;
      const std::int64_t send = std::min(n, edition_left);
      edition_left -= send;
      s.routes[kNotSent][hi] += n - send;
      if (edition_left == 0 && !plan.edition_reached_hour) plan.edition_reached_hour = h;
      if (send == 0) continue;
      if (!s.relay) {
        s.routes[kCrmNoRelay][hi] += send;
        continue;
      }
      RelayPlan& rp = plan.relays[*s.relay];
      const auto& outage = config.domains[rp.domain].relays[rp.relay].outage_from_hour;
      if (outage && h >= *outage) {
        s.routes[kCrmOutage][hi] += send;
        rp.during_outage += send;
        continue;
      }
      std::int64_t& left = cap_left[*s.relay];
      const std::int64_t take = std::min(send, left);
      left -= take;
      s.routes[kRelay][hi] += take;
      s.routes[kCrmCap][hi] += send - take;
      rp.demand += send;
      rp.carried += take;
      rp.over_cap += send - take;
      rp.hourly[hi] += take;
      if (left == 0 && !rp.cap_reached_hour) rp.cap_reached_hour = h;
    }
  }
}

/// Paths, hourly sums and totals from the walked streams.
void collect(std::vector<Stream>& streams, Plan& plan) {
  plan.paths.reserve(streams.size() * 2);
  for (Stream& s : streams) {
    for (std::size_t slot = 0; slot < kSlots; ++slot) {
      MessagePath p;
      p.domain = s.domain;
      p.type = s.type;
      p.kind = kSlotKind[slot];
      p.reason = kSlotReason[slot];
      if (s.relay && (slot == kRelay || slot == kCrmCap || slot == kCrmOutage))
        p.relay = plan.relays[*s.relay].relay;
      p.hourly = s.routes[slot];
      for (int h = 0; h < kHours; ++h) {
        const auto hi = static_cast<std::size_t>(h);
        const std::int64_t n = p.hourly[hi];
        p.total += n;  // ≤ the stream's daily volume
        if (slot == kRelay) {
          plan.hourly_relay[hi] += n;  // ≤ the edition's limit
        } else if (slot == kNotSent) {
          plan.hourly_not_sent[hi] = add_capped(plan.hourly_not_sent[hi], n, plan.saturated);
        } else {
          plan.hourly_crm[hi] += n;  // ≤ the edition's limit
        }
      }
      s.totals[slot] = p.total;
      if (p.total > 0) plan.paths.push_back(p);
    }
    plan.totals.forecast = add_capped(plan.totals.forecast, s.daily, plan.saturated);
    plan.totals.relay += s.totals[kRelay];
    plan.totals.crm += s.totals[kCrmCap] + s.totals[kCrmOutage] + s.totals[kCrmNoRelay];
    plan.totals.not_sent = add_capped(plan.totals.not_sent, s.totals[kNotSent], plan.saturated);
  }
}

void make_allocation(const Config& config, Plan& plan) {
  Allocation& a = plan.allocation;
  a.edition_daily_limit = config.account.edition_daily_limit;
  for (const RelayPlan& r : plan.relays) {
    a.relays.push_back({r.domain, r.relay, r.daily_limit, r.carried, r.demand, r.demand});
    a.relayed_now += r.carried;       // Σ ≤ mail sent ≤ the edition's limit
    a.relayed_suggested += r.demand;  // likewise
  }
  a.unassigned = a.edition_daily_limit - a.relayed_suggested;
}

/// The relays that send mail to the CRM's servers once full, by how much they still need. A relay
/// with spare quota is pointed at the neediest of its own domain (the natural one to give to),
/// else of the whole account, and its spare is taken off that need: once the overflow is covered,
/// no further relay is told to give (a large account would otherwise hear it from every relay).
class Takers {
 public:
  Takers(const Plan& plan, std::size_t domains)
      : plan_(plan), need_(plan.relays.size(), 0), in_domain_(domains) {
    for (std::size_t i = 0; i < plan.relays.size(); ++i) {
      if (plan.relays[i].over_cap > 0) set_need(i, plan.relays[i].over_cap);
    }
  }

  /// The relay that `spare` emails of a relay of `domain` should go to, or nullopt when every
  /// overflow is covered already; the spare is counted as given.
  std::optional<std::size_t> take(std::size_t domain, std::int64_t spare) {
    std::optional<std::size_t> taker = neediest(in_domain_[domain]);
    if (!taker) taker = neediest(all_);
    if (taker) set_need(*taker, std::max<std::int64_t>(0, need_[*taker] - spare));
    return taker;
  }

  /// True when some relay overflows at all.
  bool any() const { return !all_.empty(); }

 private:
  struct Entry {
    std::int64_t need;
    std::size_t relay;
    /// The larger need first; on a tie, the relay listed first.
    bool operator<(const Entry& other) const {
      return need != other.need ? need < other.need : relay > other.relay;
    }
  };
  using Heap = std::priority_queue<Entry>;

  void set_need(std::size_t relay, std::int64_t need) {
    need_[relay] = need;
    if (need == 0) return;
    all_.push({need, relay});
    in_domain_[plan_.relays[relay].domain].push({need, relay});
  }

  /// The top of `heap` that is still current and still needs something (stale entries dropped).
  std::optional<std::size_t> neediest(Heap& heap) {
    while (!heap.empty() && (heap.top().need != need_[heap.top().relay] || heap.top().need == 0))
      heap.pop();
    if (heap.empty()) return std::nullopt;
    return heap.top().relay;
  }

  const Plan& plan_;
  std::vector<std::int64_t> need_;
  Heap all_;
  std::vector<Heap> in_domain_;
};

/// The fix of plan.relay.cap_reached. Raising the limit must keep the relays' limits within the
/// edition's (account.relay_limits.exceed_edition): when the demand does not fit beside the other
/// relays' limits, the fix raises as far as they leave room, or points at the relays to lower.
std::string raise_fix(const RelayPlan& r, std::int64_t all_limits, std::int64_t edition) {
  const std::int64_t room = edition - (all_limits - r.daily_limit);
  const std::string later = ", or send part of the volume on another day.";
  if (r.demand <= room) {
    return "Raise its daily limit to " + format_count(r.demand) +
           " (the suggested allocation; it fits in the edition's " + format_count(edition) + ")" +
           later;
  }
  if (room > r.daily_limit) {
    return "Raise its daily limit to " + format_count(room) +
           ", as far as the other relays' limits leave room in the edition's " +
           format_count(edition) + " (" + format_count(r.demand) +
           " would carry all of its mail: lower first the limits of relays that carry less than "
           "their limit)" +
           later;
  }
  return "Lower the limits of relays that carry less than their limit (their own findings say "
         "by how much) and raise this one's with what they give, up to " +
         format_count(r.demand) + "; the relays' limits may add up to at most the edition's " +
         format_count(edition) + later;
}

void relay_findings(const Config& config, const Names& names, const std::vector<Stream>& streams,
                    Plan& plan) {
  const std::int64_t edition = config.account.edition_daily_limit;
  Takers takers(plan, config.domains.size());
  const bool any_overflow = takers.any();
  // Per relay and type (serve order): mail sent to the CRM's servers once full / while down.
  std::vector<std::array<std::int64_t, 3>> over_caps(plan.relays.size());
  std::vector<std::array<std::int64_t, 3>> outages(plan.relays.size());
  for (const Stream& s : streams) {
    if (!s.relay) continue;
    over_caps[*s.relay][serve_index(s.type)] += s.totals[kCrmCap];
    outages[*s.relay][serve_index(s.type)] += s.totals[kCrmOutage];
  }
  // The relays' limits added up, to tell whether raising one keeps them within the edition's
  // (account.relay_limits.exceed_edition). Capped at 2^62, far above any edition's limit: each
  // limit is at most kMaxCount, so the sum never overflows and a capped sum still reads as over.
  constexpr std::int64_t kSumCap = std::int64_t{1} << 62;
  std::int64_t all_limits = 0;
  for (const RelayPlan& r : plan.relays) all_limits = std::min(all_limits + r.daily_limit, kSumCap);
  for (std::size_t i = 0; i < plan.relays.size(); ++i) {
    const RelayPlan& r = plan.relays[i];
    if (r.over_cap == 0 && r.during_outage == 0 && (!any_overflow || r.daily_limit <= r.demand))
      continue;
    const Relay& relay = config.domains[r.domain].relays[r.relay];
    const std::string name = names.relay(r.domain, r.relay);
    const std::string pointer = relay_pointer(r.domain, r.relay);
    const std::string difference = overflow_difference(relay);
    const auto& over_cap = over_caps[i];
    const auto& outage = outages[i];
    if (r.over_cap > 0) {
      const std::string message =
          r.daily_limit == 0
              ? "Relay " + name + " has a daily limit of 0, so " + emails_by_type(over_cap) + " " +
                    std::string(verb(over_cap, "goes", "go")) +
                    " out through the CRM's servers instead."
              : "Relay " + name + " reaches its " + format_count(r.daily_limit) + " cap at " +
                    format_hour(*r.cap_reached_hour) + "; " + emails_by_type(over_cap) +
                    " after that " + std::string(verb(over_cap, "goes", "go")) +
                    " out through the CRM's servers.";
      plan.findings.push_back({"plan.relay.cap_reached", Severity::warning, pointer + "/dailyLimit",
                               message + difference, raise_fix(r, all_limits, edition)});
    }
    if (r.during_outage > 0) {
      plan.findings.push_back(
          {"plan.relay.outage", Severity::warning, pointer + "/outageFromHour",
           "Relay " + name + " is down from " + format_hour(*relay.outage_from_hour) +
               " (the CRM stops using a relay "
               "for the rest of the day after three failures in a row, per its troubleshooting "
               "notes); " +
               emails_by_type(outage) + " from then on " + std::string(verb(outage, "goes", "go")) +
               " out through the CRM's servers." + difference,
           "Keep the relay reachable from the CRM (credentials, certificate, whitelisted CRM "
           "ranges), and make sure "
           "mail from the CRM's servers authenticates too."});
    }
    // A relay that carries email types keeps a limit of at least 1: lowered to 0 it would send
    // all of them through the CRM's servers (relay.daily_limit.zero), on days with mail too.
    const std::int64_t keep = std::max<std::int64_t>(r.demand, relay.email_types.empty() ? 0 : 1);
    const std::int64_t spare = r.daily_limit - keep;
    const std::optional<std::size_t> taken =
        spare > 0 && !forecast_unknown(config.domains[r.domain], relay)
            ? takers.take(r.domain, spare)
            : std::nullopt;
    if (taken) {
      const RelayPlan* taker = &plan.relays[*taken];
      plan.findings.push_back(
          {"plan.relay.underused", Severity::warning, pointer + "/dailyLimit",
           "Relay " + name + " is planned for " + format_count(r.daily_limit) + " but will carry " +
               format_count(r.carried) + ", while relay " +
               names.relay(taker->domain, taker->relay) + " sends " +
               format_count(taker->over_cap) + " emails through the CRM's servers once full.",
           "Lower its daily limit to " + format_count(keep) +
               (keep > r.demand ? " (it carries none of today's forecast, and 1 is the smallest "
                                  "limit that keeps it in use for its email types: 0 would send "
                                  "them all through the CRM's servers)"
                                : "") +
               " and give the " + format_count(spare) + " to relay " +
               names.relay(taker->domain, taker->relay) + "."});
    }
  }
}

void stream_findings(const Config& config, const Names& names, const std::vector<Stream>& streams,
                     Plan& plan) {
  std::array<std::int64_t, 3> not_sent{};
  for (const Stream& s : streams) {
    not_sent[serve_index(s.type)] =
        add_capped(not_sent[serve_index(s.type)], s.totals[kNotSent], plan.saturated);
    if (s.totals[kCrmNoRelay] == 0) continue;
    const std::string type_name(to_string(s.type));
    const Domain& domain = config.domains[s.domain];
    std::array<std::int64_t, 3> by_type{};
    by_type[serve_index(s.type)] = s.totals[kCrmNoRelay];
    plan.findings.push_back(
        {"plan.type.no_relay", Severity::info,
         "/domains/" + std::to_string(s.domain) + "/traffic/" + type_name,
         "The " + emails_by_type(by_type) + " of " + names.domain(s.domain) + " " +
             std::string(verb(by_type, "goes", "go")) + " out through the CRM's servers: " +
             (domain.relays.empty() ? "the domain has no relay."
                                    : "none of its relays carries " + type_name + " emails."),
         "Nothing to do if that is intended; otherwise add " + type_name +
             " to a relay's email types."});
  }
  if (plan.totals.not_sent > 0) {
    const std::int64_t edition = config.account.edition_daily_limit;
    plan.findings.push_back(
        {"plan.edition.exceeded", Severity::error, "/account/editionDailyLimit",
         "The forecast of " + format_count(plan.totals.forecast) +
             " emails exceeds the edition's daily limit of " + format_count(edition) + " by " +
             format_count(plan.totals.not_sent) + ": from " +
             format_hour(*plan.edition_reached_hour) + " on, " + emails_by_type(not_sent) + " " +
             std::string(verb(not_sent, "is", "are")) +
             " not sent today. The limit counts relay and CRM mail together; the domain source "
             "does not say "
             "whether the CRM sends such emails the next day or drops them.",
         "Move part of the volume to another day, or move to an edition with a higher daily limit; "
         "a relay never "
         "raises the edition's limit."});
  }
  if (plan.saturated) {
    plan.findings.push_back({"plan.forecast.too_large", Severity::warning, "/domains",
                             "The forecast adds up to more than " + format_count(kMaxCount) +
                                 " emails a day; day totals are capped at that figure.",
                             "Check the daily volumes: no CRM sends that many emails a day."});
  }
}

}  // namespace

std::string_view to_string(RouteKind kind) {
  switch (kind) {
    case RouteKind::relay:
      return "relay";
    case RouteKind::crm:
      return "crm";
    case RouteKind::not_sent:
      return "not-sent";
  }
  return "relay";
}

std::string_view to_string(RouteReason reason) {
  switch (reason) {
    case RouteReason::none:
      return "";
    case RouteReason::relay_cap:
      return "relay-cap";
    case RouteReason::relay_outage:
      return "relay-outage";
    case RouteReason::no_relay:
      return "no-relay";
    case RouteReason::edition_limit:
      return "edition-limit";
  }
  return "";
}

std::array<std::int64_t, kHours> profile_weights(const Traffic& traffic) {
  std::array<std::int64_t, kHours> w{};
  switch (traffic.profile) {
    case TrafficProfile::office_hours:
      for (int h = kOfficeFirstHour; h < kOfficeEndHour; ++h) w[static_cast<std::size_t>(h)] = 1;
      break;
    case TrafficProfile::burst:
      w[static_cast<std::size_t>(std::clamp(traffic.burst_hour, 0, kHours - 1))] = 1;
      break;
    case TrafficProfile::custom:
      if (traffic.weights.size() == kHours) {
        std::copy(traffic.weights.begin(), traffic.weights.end(), w.begin());
        break;
      }
      w.fill(1);
      break;
    case TrafficProfile::flat:
      w.fill(1);
      break;
  }
  return w;
}

Hourly hourly_counts(std::int64_t daily, const std::array<std::int64_t, kHours>& weights) {
  Hourly counts{};
  if (daily <= 0) return counts;
  std::array<std::uint64_t, kHours> w{};
  std::uint64_t sum = 0;  // ≤ 24 × kMaxCount < 2^58
  for (std::size_t h = 0; h < w.size(); ++h) {
    w[h] = static_cast<std::uint64_t>(std::clamp<std::int64_t>(weights[h], 0, kMaxCount));
    sum += w[h];
  }
  if (sum == 0) {
    w.fill(1);
    sum = kHours;
  }
  const auto d = static_cast<std::uint64_t>(daily);
  std::array<std::uint64_t, kHours> remainder{};
  std::uint64_t given = 0;
  for (std::size_t h = 0; h < w.size(); ++h) {
    std::uint64_t share = 0;  // ≤ daily
    if (w[h] == 0 || d <= UINT64_MAX / w[h]) {
      share = d * w[h] / sum;
      remainder[h] = d * w[h] % sum;
    } else {
      const Wide product = static_cast<Wide>(d) * w[h];
      share = static_cast<std::uint64_t>(product / sum);
      remainder[h] = static_cast<std::uint64_t>(product % sum);
    }
    counts[h] = static_cast<std::int64_t>(share);
    given += share;
  }
  // The remainders add up to (daily - given) × sum, each below sum: at least daily - given
  // (< 24) hours have a positive remainder, so hours of weight 0 never get an email.
  const auto left = static_cast<std::size_t>(d - given);  // < 24
  if (left == 0) return counts;
  std::array<std::size_t, kHours> order{};
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
  });
  for (std::size_t i = 0; i < left; ++i) ++counts[order[i]];
  return counts;
}

Plan make_plan(const Config& config) {
  Plan plan;
  plan.edition_daily_limit = config.account.edition_daily_limit;
  plan.time_zone = config.account.time_zone;
  std::vector<std::size_t> relay_base;
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    relay_base.push_back(plan.relays.size());
    for (std::size_t r = 0; r < config.domains[d].relays.size(); ++r) {
      RelayPlan rp;
      rp.domain = d;
      rp.relay = r;
      rp.daily_limit = config.domains[d].relays[r].daily_limit;
      plan.relays.push_back(rp);
    }
  }
  const Names names(config);  // parses every host: once per plan, not once per use
  std::vector<Stream> streams = make_streams(config, names, relay_base, plan.findings);
  walk_day(config, streams, plan);
  collect(streams, plan);
  make_allocation(config, plan);
  relay_findings(config, names, streams, plan);
  stream_findings(config, names, streams, plan);
  sort_findings(plan.findings);
  return plan;
}

std::string format_hour(int hour) { return (hour < 10 ? "0" : "") + std::to_string(hour) + ":00"; }

std::string format_count(std::int64_t value) {
  const bool negative = value < 0;
  // Digits of the magnitude, as unsigned so that the most negative value works too.
  std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(value)
                                     : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

}  // namespace relaycheck::plan
