// The plan's three outward forms: the JSON document (for the page's timeline and the outcome
// matrix), the text tables (for people) and CSV (for spreadsheets).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "plan/plan.hpp"

#include "config/names.hpp"
#include "text/json_writer.hpp"
#include "text/text_builder.hpp"

namespace relaycheck::plan {
namespace {

using json = nlohmann::json;

/// a + b for counts in [0, kMaxCount], capped at kMaxCount (as the plan's own totals are).
std::int64_t add_capped(std::int64_t a, std::int64_t b) {
  return a > kMaxCount - b ? kMaxCount : a + b;
}

const std::string& host_of(const Config& config, std::size_t domain, std::size_t relay) {
  return config.domains[domain].relays[relay].host;
}

/// The hours in which a path carries mail, as "09:00–16:00", or one hour.
std::string hours_span(const Hourly& hourly) {
  int first = -1;
  int last = -1;
  for (int h = 0; h < kHours; ++h) {
    if (hourly[static_cast<std::size_t>(h)] == 0) continue;
    if (first < 0) first = h;
    last = h;
  }
  if (first < 0) return "";
  return first == last ? format_hour(first) : format_hour(first) + "-" + format_hour(last);
}

/// One CSV field (RFC 4180), with a leading ' on text that a spreadsheet would run as a formula.
std::string csv_field(const std::string& text) {
  std::string value = text;
  if (!value.empty() && std::string("=+-@\t\r").find(value[0]) != std::string::npos)
    value = "'" + value;
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

/// "relay smtp1", "CRM: smtp1 full", "CRM: smtp1 down", "CRM: no relay", "not sent today".
std::string route_label(const MessagePath& p, const Names& names) {
  switch (p.reason) {
    case RouteReason::none:
      return "relay " + names.relay(p.domain, *p.relay);
    case RouteReason::relay_cap:
      return "CRM: " + names.relay(p.domain, *p.relay) + " full";
    case RouteReason::relay_outage:
      return "CRM: " + names.relay(p.domain, *p.relay) + " down";
    case RouteReason::no_relay:
      return "CRM: no relay for the type";
    case RouteReason::edition_limit:
      return "not sent today";
  }
  return {};
}

/// A text table: the first row is the header; columns flagged in `numeric` align right.
std::string text_table(const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric) {
  std::vector<std::size_t> width(numeric.size(), 0);
  // Widths in characters as people see them (UTF-8 continuation bytes take no column).
  auto columns = [](const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
    }));
  };
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], columns(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - columns(row[c]), ' ');
      line += "  " + (numeric[c] ? pad + row[c] : row[c] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// The document is built with emplace rather than initializer lists: nlohmann copies and
// re-nests initializer lists, which made this the slowest step of the `plan` method.
void write(text::JsonWriter& w, const Plan& plan, const Config& config) {
  w.object();
  w.member("timeZone", plan.time_zone).member("editionDailyLimit", plan.edition_daily_limit);
  w.key("serveOrder").array();
  for (EmailType t : kServeOrder) w.value(to_string(t));
  w.end();
  w.key("officeHours").object().member("from", kOfficeFirstHour).member("to", kOfficeEndHour).end();
  w.key("totals")
      .object()
      .member("forecast", plan.totals.forecast)
      .member("relay", plan.totals.relay)
      .member("crm", plan.totals.crm)
      .member("notSent", plan.totals.not_sent)
      .end();
  w.member("editionReachedHour", plan.edition_reached_hour).member("saturated", plan.saturated);
  w.key("hours").array();
  for (std::size_t h = 0; h < static_cast<std::size_t>(kHours); ++h) {
    w.object()
        .member("hour", h)
        .member("relay", plan.hourly_relay[h])
        .member("crm", plan.hourly_crm[h])
        .member("notSent", plan.hourly_not_sent[h])
        .end();
  }
  w.end();
  w.key("relays").array();
  for (const RelayPlan& r : plan.relays) {
    w.object()
        .member("domain", r.domain)
        .member("relay", r.relay)
        .member("host", host_of(config, r.domain, r.relay))
        .member("pointer",
                "/domains/" + std::to_string(r.domain) + "/relays/" + std::to_string(r.relay))
        .member("dailyLimit", r.daily_limit)
        .member("demand", r.demand)
        .member("carried", r.carried)
        .member("overCap", r.over_cap)
        .member("duringOutage", r.during_outage)
        .member("capReachedHour", r.cap_reached_hour)
        .member("outageFromHour", config.domains[r.domain].relays[r.relay].outage_from_hour)
        .end();
  }
  w.end();
  w.key("paths").array();
  for (const MessagePath& p : plan.paths) {
    w.object()
        .member("domain", p.domain)
        .member("domainName", config.domains[p.domain].name)
        .member("type", to_string(p.type))
        .member("route", to_string(p.kind));
    if (p.reason == RouteReason::none) {
      w.member("reason", nullptr);
    } else {
      w.member("reason", to_string(p.reason));
    }
    w.member("relay", p.relay);
    if (p.relay) {
      w.member("host", host_of(config, p.domain, *p.relay));
    } else {
      w.member("host", nullptr);
    }
    w.member("total", p.total).key("hourly").array();
    for (const auto count : p.hourly) w.value(count);
    w.end().end();
  }
  w.end();
  w.key("allocation")
      .object()
      .member("editionDailyLimit", plan.allocation.edition_daily_limit)
      .member("relayedNow", plan.allocation.relayed_now)
      .member("relayedSuggested", plan.allocation.relayed_suggested)
      .member("unassigned", plan.allocation.unassigned)
      .key("relays")
      .array();
  for (const RelayShare& r : plan.allocation.relays) {
    w.object()
        .member("domain", r.domain)
        .member("relay", r.relay)
        .member("host", host_of(config, r.domain, r.relay))
        .member("current", r.current)
        .member("carriesNow", r.carries_now)
        .member("suggested", r.suggested)
        .member("carriesSuggested", r.carries_suggested)
        .end();
  }
  w.end().end().end();
}

json to_json(const Plan& plan, const Config& config) {
  std::string text;
  text::JsonWriter w(text);
  write(w, plan, config);
  return json::parse(text);
}

std::string format_plan_text(const Plan& plan, const Config& config,
                             const std::vector<Finding>& findings) {
  const Names names(config);
  text::TextBuilder out;
  out << "Day plan, hours in " << plan.time_zone << "; edition limit "
      << format_count(plan.edition_daily_limit) << " emails a day\n"
      << "Forecast " << format_count(plan.totals.forecast) << ": "
      << format_count(plan.totals.relay) << " through relays, " << format_count(plan.totals.crm)
      << " through the CRM's servers, " << format_count(plan.totals.not_sent) << " not sent today\n"
      << "(within an hour: individual, then workflow, then mass emails; domains in config "
         "order)\n\n";

  // Hours × routes. The CRM columns split by why mail is there; the sums are ≤ the edition limit.
  std::array<Hourly, 3> crm{};
  for (const MessagePath& p : plan.paths) {
    if (p.kind != RouteKind::crm) continue;
    const std::size_t column = p.reason == RouteReason::relay_cap      ? 0
                               : p.reason == RouteReason::relay_outage ? 1
                                                                       : 2;
    for (std::size_t h = 0; h < p.hourly.size(); ++h) crm[column][h] += p.hourly[h];
  }
  std::vector<std::vector<std::string>> rows{{"hour", "relays", "CRM: relay full",
                                              "CRM: relay down", "CRM: no relay", "not sent",
                                              "total"}};
  std::array<std::int64_t, 6> sums{};
  for (std::size_t h = 0; h < static_cast<std::size_t>(kHours); ++h) {
    const std::array<std::int64_t, 5> v{plan.hourly_relay[h], crm[0][h], crm[1][h], crm[2][h],
                                        plan.hourly_not_sent[h]};
    std::vector<std::string> row{format_hour(static_cast<int>(h))};
    std::int64_t total = 0;
    for (std::size_t c = 0; c < v.size(); ++c) {
      row.push_back(format_count(v[c]));
      total = add_capped(total, v[c]);
      sums[c] = add_capped(sums[c], v[c]);
    }
    sums[5] = add_capped(sums[5], total);
    row.push_back(format_count(total));
    rows.push_back(row);
  }
  std::vector<std::string> total_row{"total"};
  for (std::int64_t s : sums) total_row.push_back(format_count(s));
  rows.push_back(total_row);
  out << text_table(rows, {false, true, true, true, true, true, true});

  if (!plan.relays.empty()) {
    out << "\nRelays\n";
    std::vector<std::vector<std::string>> relay_rows{{"relay", "domain", "daily limit", "carries",
                                                      "full at", "then to CRM", "down from",
                                                      "to CRM while down"}};
    for (const RelayPlan& r : plan.relays) {
      const auto& outage = config.domains[r.domain].relays[r.relay].outage_from_hour;
      relay_rows.push_back({names.relay(r.domain, r.relay), names.domain(r.domain),
                            format_count(r.daily_limit), format_count(r.carried),
                            r.cap_reached_hour ? format_hour(*r.cap_reached_hour) : "-",
                            format_count(r.over_cap), outage ? format_hour(*outage) : "-",
                            format_count(r.during_outage)});
    }
    out << text_table(relay_rows, {false, false, true, true, true, true, true, true});
  }

  if (!plan.paths.empty()) {
    out << "\nMessage paths\n";
    std::vector<std::vector<std::string>> path_rows{{"domain", "type", "route", "emails", "hours"}};
    for (const MessagePath& p : plan.paths) {
      path_rows.push_back({names.domain(p.domain), std::string(to_string(p.type)),
                           route_label(p, names), format_count(p.total), hours_span(p.hourly)});
    }
    out << text_table(path_rows, {false, false, false, true, false});
  }

  if (!plan.allocation.relays.empty()) {
    const Allocation& a = plan.allocation;
    out << "\nSuggested allocation of the edition's " << format_count(a.edition_daily_limit)
        << " emails a day\n";
    std::vector<std::vector<std::string>> share_rows{
        {"relay", "domain", "limit now", "carries", "suggested", "carries"}};
    for (const RelayShare& s : a.relays) {
      share_rows.push_back({names.relay(s.domain, s.relay), names.domain(s.domain),
                            format_count(s.current), format_count(s.carries_now),
                            format_count(s.suggested), format_count(s.carries_suggested)});
    }
    out << text_table(share_rows, {false, false, true, true, true, true})
        << "Through relays: " << format_count(a.relayed_now) << " now, "
        << format_count(a.relayed_suggested) << " with the suggested limits; "
        << format_count(a.unassigned) << " of the edition's limit left to the CRM's servers.\n";
  }

  out << "\nFindings\n";
  if (findings.empty()) out << "  none\n";
  for (const Finding& f : findings) {
    out << "  " << to_string(f.severity) << " " << f.code << " at " << f.path << "\n"
        << "    " << f.message << "\n"
        << "    fix: " << f.fix << "\n";
  }
  return std::move(out).str();
}

std::string format_plan_csv(const Plan& plan, const Config& config) {
  std::string out = "hour,domain,type,route,reason,relay,emails\r\n";
  for (const MessagePath& p : plan.paths) {
    const std::string prefix =
        "," + csv_field(config.domains[p.domain].name) + "," + std::string(to_string(p.type)) +
        "," + std::string(to_string(p.kind)) + "," + std::string(to_string(p.reason)) + "," +
        (p.relay ? csv_field(host_of(config, p.domain, *p.relay)) : std::string()) + ",";
    for (int h = 0; h < kHours; ++h) {
      out += std::to_string(h) + prefix + std::to_string(p.hourly[static_cast<std::size_t>(h)]) +
             "\r\n";
    }
  }
  return out;
}

}  // namespace relaycheck::plan
