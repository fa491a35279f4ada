// Hosted relays: the embedded service data, host matching, and the hosted.* checks.
// core/rules.md documents every code.
#include "hosted/hosted.hpp"

#include <algorithm>
#include <cstdint>

#include "config/data.hpp"
#include "config/fields.hpp"
#include "config/names.hpp"
#include "plan/plan.hpp"

namespace relaycheck {
namespace hosted {
namespace {

using json = nlohmann::json;

/// A host name is at most 253 characters (RFC 1035 §2.3.4); longer text matches nothing.
constexpr std::size_t kMaxHost = 253;

std::string text_of(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Fact read_fact(const json& object) {
  Fact f;
  f.value = object.value("value", json());
  f.status = text_of(object, "status");
  f.source = text_of(object, "source");
  f.read = text_of(object, "read");
  f.reported = text_of(object, "reported");
  f.reported_in = text_of(object, "reportedIn");
  f.note = text_of(object, "note");
  f.condition = text_of(object, "condition");
  f.unit = text_of(object, "unit");
  return f;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

/// Splits lower-cased `name` into its labels; false for an empty label anywhere.
bool split_labels(std::string_view name, std::vector<std::string>& labels) {
  labels.clear();
  std::string label;
  for (char c : name) {
    if (c == '.') {
      if (label.empty()) return false;
      labels.push_back(std::move(label));
      label.clear();
    } else {
      label.push_back(lower(c));
    }
  }
  if (label.empty()) return false;
  labels.push_back(std::move(label));
  return true;
}

std::string security_words(std::string_view security) {
  if (security == "starttls") return "STARTTLS";
  if (security == "implicit-tls") return "implicit TLS";
  return "no TLS";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

/// "Amazon documents that X" for a verified fact; "X (reported, not confirmed)" otherwise.
std::string attributed(const Service& s, const Fact& f, const std::string& clause) {
  if (f.verified()) return s.vendor + " documents that " + clause + " (" + f.source + ")";
  return clause + " (reported, not confirmed)";
}

/// An error only when a verified, unconditional rule refuses the mail.
Severity refusal(const Fact& f) {
  return f.verified() && f.condition.empty() ? Severity::error : Severity::warning;
}

std::string relay_path(std::size_t d, std::size_t r) {
  return "/domains/" + std::to_string(d) + "/relays/" + std::to_string(r);
}

/// Every port the service lists and its security choices, e.g. "587 (STARTTLS), 465 (implicit
/// TLS)".
std::string port_list(const Fact& ports) {
  std::vector<std::string> items;
  for (const json& p : ports.value) {
    std::vector<std::string> secs;
    for (const json& sec : p.value("security", json::array())) {
      secs.push_back(security_words(sec.get<std::string>()));
    }
    items.push_back(std::to_string(p.value("port", 0)) + " (" + join(secs) + ")");
  }
  return join(items);
}

/// The first of the CRM's ports (25, 465, 587: the domain source) the service offers, with its
/// first security choice, as a fix: "port 587 with STARTTLS".
std::string crm_port_fix(const Fact& ports) {
  for (int preferred : {587, 465, 25}) {
    for (const json& p : ports.value) {
      if (p.value("port", 0) != preferred) continue;
      const json secs = p.value("security", json::array());
      std::string sec = secs.empty() ? "none" : secs.front().get<std::string>();
      for (const json& s : secs) {
        if (s != "none") {
          sec = s.get<std::string>();
          break;
        }
      }
      return "port " + std::to_string(preferred) + " with " + security_words(sec);
    }
  }
  return {};
}

bool offers(const Fact& auth, std::string_view kind) {
  if (!auth.value.is_array()) return false;
  return std::any_of(auth.value.begin(), auth.value.end(),
                     [&](const json& a) { return a.is_string() && a.get<std::string>() == kind; });
}

void check_port(const Service& s, const Relay& relay, const std::string& path,
                std::vector<Finding>& out) {
  if (!s.ports.known() || !s.ports.value.is_array()) return;
  const json* entry = nullptr;
  for (const json& p : s.ports.value) {
    if (p.value("port", 0) == relay.port) entry = &p;
  }
  const std::string fix = crm_port_fix(s.ports);
  if (entry == nullptr) {
    out.push_back({"hosted.port", refusal(s.ports), path + "/port",
                   attributed(s, s.ports,
                              s.name + " accepts SMTP on ports " + port_list(s.ports) +
                                  ", not on port " + std::to_string(relay.port)) +
                       ": the CRM cannot connect to relay " + relay.host +
                       ", and the mail it should carry does not go through it.",
                   fix.empty() ? "Use a port the service offers."
                               : "Use " + fix + ", as " + s.name + " offers."});
    return;
  }
  const std::string have(to_string(relay.security));
  const json secs = entry->value("security", json::array());
  const bool ok = std::any_of(secs.begin(), secs.end(), [&](const json& x) { return x == have; });
  if (ok) return;
  std::vector<std::string> words;
  for (const json& x : secs) words.push_back(security_words(x.get<std::string>()));
  out.push_back({"hosted.security", refusal(s.ports), path + "/security",
                 attributed(s, s.ports,
                            s.name + " speaks " + join(words) + " on port " +
                                std::to_string(relay.port) + ", not " + security_words(have)) +
                     ": the connection fails and no email goes through relay " + relay.host + ".",
                 "Choose " +
                     security_words(secs.empty() ? "none" : secs.front().get<std::string>()) +
                     " for port " + std::to_string(relay.port) +
                     (fix.empty() ? std::string(".") : ", or use " + fix + ".")});
}

void check_auth(const Service& s, const Relay& relay, const std::string& path,
                std::vector<Finding>& out) {
  if (!s.auth.known()) return;
  if (relay.auth == AuthMethod::ip_whitelist && !offers(s.auth, "ip-allowlist")) {
    out.push_back(
        {"hosted.auth", refusal(s.auth), path + "/auth",
         attributed(s, s.auth,
                    s.name + " relays only for clients that sign in with SMTP "
                             "authentication, never by IP address alone") +
             ": the CRM does not sign in to relay " + relay.host + ", so its mail is refused.",
         "Choose password authentication and enter the service's SMTP credentials" +
             std::string(offers(s.auth, "api-key") ? " (an API key as the password)" : "") + "."});
    return;
  }
  if (relay.auth == AuthMethod::password && !offers(s.auth, "password") &&
      !offers(s.auth, "api-key")) {
    out.push_back({"hosted.auth", refusal(s.auth), path + "/auth",
                   attributed(s, s.auth,
                              s.name + "'s " + s.form +
                                  " offers no SMTP authentication: it admits senders by IP "
                                  "address") +
                       ": the CRM's sign-in to relay " + relay.host +
                       " fails and its mail is refused.",
                   "Choose IP-based relay permission (no password) and admit the CRM's source "
                   "ranges at the service (a connector or relay entry)."});
    return;
  }
  if (relay.auth == AuthMethod::password && s.username && s.username->value.is_string() &&
      relay.username != s.username->value.get<std::string>()) {
    const std::string fixed = s.username->value.get<std::string>();
    out.push_back({"hosted.auth.username", refusal(*s.username), path + "/username",
                   attributed(s, *s.username,
                              s.name + "'s SMTP username is always \"" + fixed +
                                  "\" (the key goes in the password)") +
                       ": with the username \"" + relay.username +
                       "\" the sign-in fails and relay " + relay.host + " refuses the CRM's mail.",
                   "Enter \"" + fixed + "\" as the username and the key as the password."});
  }
}

std::string limit_unit(const Fact& f, const char* fallback) {
  return f.unit.empty() ? std::string(fallback) : f.unit;
}

void check_limits(const Service& s, const Relay& relay, const plan::RelayPlan& rp,
                  const std::string& path, std::vector<Finding>& out) {
  if (s.limit_per_day.known() && s.limit_per_day.value.is_number_integer()) {
    const auto limit = s.limit_per_day.value.get<std::int64_t>();
    if (rp.carried > limit) {
      const std::string cond =
          s.limit_per_day.condition.empty() ? "" : " " + s.limit_per_day.condition;
      out.push_back(
          {"hosted.limit.day", refusal(s.limit_per_day), path + "/dailyLimit",
           "Relay " + relay.host + " carries " + plan::format_count(rp.carried) +
               " emails today, but " +
               attributed(s, s.limit_per_day,
                          s.name + " accepts at most " + plan::format_count(limit) + " " +
                              limit_unit(s.limit_per_day, "emails") + " a day" + cond) +
               ": about " + plan::format_count(rp.carried - limit) +
               " of them are refused once it is reached.",
           "Set the relay's daily limit to at most " + plan::format_count(limit) +
               " (the rest then goes out through the CRM's servers), or raise the quota at " +
               s.name + "."});
    }
  }
  if (s.rate.known() && s.rate.value.is_object()) {
    const auto count = s.rate.value.value("count", std::int64_t{0});
    const auto seconds = s.rate.value.value("seconds", std::int64_t{0});
    if (count <= 0 || seconds <= 0) return;
    const std::int64_t per_hour = count * 3600 / seconds;
    const auto peak = std::max_element(rp.hourly.begin(), rp.hourly.end());
    if (*peak <= per_hour) return;
    const int hour = static_cast<int>(peak - rp.hourly.begin());
    const std::string per = seconds == 60  ? "a minute"
                            : seconds == 1 ? "a second"
                                           : "per " + std::to_string(seconds) + " seconds";
    const std::string cond = s.rate.condition.empty() ? "" : " " + s.rate.condition;
    // "delayed": the service holds the excess and takes it in the following periods (Microsoft
    // documents this for SMTP AUTH submission); otherwise it refuses it.
    const bool delayed = s.rate.value.value("excess", std::string("refused")) == "delayed";
    const std::int64_t minutes = (*peak + count - 1) / count * seconds / 60;
    const std::string consequence =
        delayed ? ": the rest waits and is taken over the following minutes, so the hour's mail "
                  "needs about " +
                      plan::format_count(minutes) +
                      " minutes to leave; should the throttling reach the CRM as failed "
                      "submissions, the CRM stops using the relay until the next day after three "
                      "failures in a row (Zoho's \"Troubleshooting Email Relay\")."
                : ": the rest is refused while the CRM submits it, and the CRM stops using a relay "
                  "until the next day after three failures in a row (Zoho's \"Troubleshooting "
                  "Email Relay\").";
    out.push_back({"hosted.limit.rate", delayed ? Severity::warning : refusal(s.rate), path,
                   "Relay " + relay.host + " carries " + plan::format_count(*peak) +
                       " emails in its busiest hour (" + plan::format_hour(hour) + "), but " +
                       attributed(s, s.rate,
                                  s.name + " accepts at most " + std::to_string(count) + " " +
                                      limit_unit(s.rate, "messages") + " " + per + cond + ", " +
                                      plan::format_count(per_hour) + " an hour") +
                       consequence,
                   "Spread the relay's mail over the day (a burst of at most " +
                       plan::format_count(per_hour) +
                       " an hour), or send bulk mail through a service made for it."});
  }
}

/// The SPF record of `domain` in the config's dns section, if it holds one.
std::optional<std::string> spf_record(const json& dns, const std::string& domain) {
  if (!dns.is_object()) return std::nullopt;
  std::string want = domain;
  for (char& c : want) c = lower(c);
  for (const auto& item : dns.items()) {
    std::string owner = item.key();
    for (char& c : owner) c = lower(c);
    if (!owner.empty() && owner.back() == '.') owner.pop_back();
    if (owner != want || !item.value().is_array()) continue;
    for (const json& rr : item.value()) {
      if (!rr.is_object() || rr.value("type", "") != "TXT") continue;
      std::string text;
      const json data = rr.value("data", json());
      if (data.is_string()) {
        text = data.get<std::string>();
      } else if (data.is_array()) {
        for (const json& part : data) {
          if (part.is_string()) text += part.get<std::string>();
        }
      }
      std::string head = text.substr(0, 7);
      for (char& c : head) c = lower(c);
      if (head == "v=spf1" ||
          (head.size() == 7 && head.substr(0, 6) == "v=spf1" && head[6] == ' ')) {
        return text;
      }
    }
  }
  return std::nullopt;
}

bool has_include(const std::string& record, const std::string& target) {
  std::string lowered = record;
  for (char& c : lowered) c = lower(c);
  std::string want = target;
  for (char& c : want) c = lower(c);
  std::size_t pos = 0;
  while (pos < lowered.size()) {
    const std::size_t end = std::min(lowered.find(' ', pos), lowered.size());
    std::string term = lowered.substr(pos, end - pos);
    if (!term.empty() && (term[0] == '+' || term[0] == '?' || term[0] == '~')) term.erase(0, 1);
    if (term == "include:" + want || term == "include:" + want + ".") return true;
    pos = end + 1;
  }
  return false;
}

void check_envelope_and_dns(const Config& config, const Service& s, std::size_t d, std::size_t r,
                            std::vector<Finding>& out) {
  const Domain& domain = config.domains[d];
  const Relay& relay = domain.relays[r];
  const std::string path = relay_path(d, r);
  const std::string envelope =
      s.envelope.value.is_string() ? s.envelope.value.get<std::string>() : "";
  if (envelope == "verified-required" && s.envelope.known() &&
      domain.return_path == ReturnPathMode::crm && !relay.rewrites_return_path &&
      !relay.email_types.empty()) {
    out.push_back({"hosted.envelope.unverified", refusal(s.envelope),
                   "/domains/" + std::to_string(d) + "/returnPath",
                   "The CRM stays the return path of " + domain.name +
                       ", so its mail reaches relay " + relay.host +
                       " with the CRM's bounce domain as the envelope sender, but " +
                       attributed(s, s.envelope,
                                  s.name + " accepts only an envelope sender it has verified") +
                       ": the service refuses that mail.",
                   "Set the return path to the From address or a custom address under " +
                       domain.name + ", and verify that domain at " + s.name +
                       " (bounce management in the CRM then stays off)."});
  }
  if (envelope == "rewritten" && s.envelope.known() && !relay.rewrites_return_path) {
    out.push_back(
        {"hosted.envelope.rewritten", Severity::info, path + "/rewritesReturnPath",
         attributed(s, s.envelope,
                    s.name + " replaces the return path with a bounce address of its own") +
             ": bounces stay at the service, and SPF is checked on its domain rather "
             "than the one the config implies.",
         "Turn on \"" + std::string(field_label("/domains/*/relays/*/rewritesReturnPath")) +
             "\" for this relay (with the service's return-path domain as \"" +
             std::string(field_label("/domains/*/relays/*/returnPathDomain")) +
             "\") so that the outcomes use the envelope sender receivers see."});
  }
  if (s.spf_include.known() && s.spf_include.value.is_string() && envelope != "rewritten") {
    const std::string include = s.spf_include.value.get<std::string>();
    if (const auto record = spf_record(config.dns, domain.name);
        record && !has_include(*record, include)) {
      std::string owner = domain.name;
      for (const auto& item : config.dns.items()) {
        std::string a = item.key(), b = domain.name;
        for (char& c : a) c = lower(c);
        for (char& c : b) c = lower(c);
        if (!a.empty() && a.back() == '.') a.pop_back();
        if (a == b) owner = item.key();
      }
      out.push_back(
          {"hosted.spf.include", Severity::warning, "/dns/" + pointer_token(owner),
           "The SPF record of " + domain.name + " does not include " + include + ", but " +
               attributed(s, s.spf_include,
                          "mail sent through " + s.name + " needs include:" + include) +
               ": with " + domain.name +
               " as the envelope sender, relayed mail fails SPF and passes DMARC only through an "
               "aligned DKIM signature.",
           "Add include:" + include + " to the SPF record of " + domain.name +
               " (before its all term)."});
    }
  }
  if (s.dkim.known() && s.dkim.value == true && !relay.dkim.signs) {
    out.push_back(
        {"hosted.dkim", Severity::info, path + "/dkim",
         attributed(s, s.dkim,
                    s.name + " can sign with the customer's own domain (d=" + domain.name + ")") +
             ": the relay is set not to sign, so DMARC rests on the CRM's signature "
             "alone.",
         "Set up DKIM for " + domain.name + " at " + s.name +
             " and turn on the relay's dkim.signs, or keep the CRM's DKIM on."});
  }
}

}  // namespace

Catalog load() {
  const json document = json::parse(data::hosted_relays);
  Catalog c;
  c.schema = document.at("schema").get<std::string>();
  c.version = document.at("version").get<int>();
  c.date = document.at("date").get<std::string>();
  for (const json& item : document.at("services")) {
    Service s;
    s.id = item.at("id").get<std::string>();
    s.name = item.at("name").get<std::string>();
    s.vendor = item.at("vendor").get<std::string>();
    s.form = item.at("form").get<std::string>();
    s.setup = item.at("setup").get<std::string>();
    for (const json& h : item.at("hosts"))
      s.hosts.push_back({h.at("pattern").get<std::string>(), read_fact(h)});
    s.ports = read_fact(item.at("ports"));
    s.auth = read_fact(item.at("auth"));
    if (item.contains("username")) s.username = read_fact(item.at("username"));
    s.limit_per_day = read_fact(item.at("limitPerDay"));
    s.rate = read_fact(item.at("rate"));
    s.recipients_per_message = read_fact(item.at("recipientsPerMessage"));
    s.envelope = read_fact(item.at("envelope"));
    s.from = read_fact(item.at("from"));
    s.spf_include = read_fact(item.at("spfInclude"));
    s.dkim = read_fact(item.at("dkim"));
    s.raw = item;
    c.services.push_back(std::move(s));
  }
  return c;
}

bool host_matches(std::string_view pattern, std::string_view host) {
  if (host.size() > kMaxHost + 1) return false;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::vector<std::string> want;
  std::vector<std::string> have;
  if (!split_labels(pattern, want) || !split_labels(host, have)) return false;
  if (want.size() != have.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "*") continue;
    if (want[i] != have[i]) return false;
  }
  return true;
}

const Service* match(const Catalog& catalog, std::string_view host) {
  for (const Service& s : catalog.services) {
    for (const HostPattern& h : s.hosts) {
      if (host_matches(h.pattern, host)) return &s;
    }
  }
  return nullptr;
}

std::optional<Service> match(std::string_view host) {
  const Catalog catalog = load();
  const Service* s = match(catalog, host);
  return s == nullptr ? std::nullopt : std::optional<Service>(*s);
}

std::vector<Finding> check(const Catalog& catalog, const Config& config, const plan::Plan& day) {
  std::vector<Finding> out;
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    const Domain& domain = config.domains[d];
    for (std::size_t r = 0; r < domain.relays.size(); ++r) {
      const Relay& relay = domain.relays[r];
      const Service* s = match(catalog, relay.host);
      if (s == nullptr) continue;
      const std::string path = relay_path(d, r);
      out.push_back({"hosted.recognised", Severity::info, path + "/host",
                     "Relay " + relay.host + " is " + s->name + "'s " + s->form +
                         "; the relay is checked against what " + s->vendor +
                         " documents about it, and what is only reported is marked so.",
                     s->setup});
      check_port(*s, relay, path, out);
      check_auth(*s, relay, path, out);
      for (const plan::RelayPlan& rp : day.relays) {
        if (rp.domain == d && rp.relay == r) check_limits(*s, relay, rp, path, out);
      }
      check_envelope_and_dns(config, *s, d, r, out);
    }
  }
  return out;
}

nlohmann::json report(const Catalog& catalog, const Config& config) {
  json out = json::array();
  for (std::size_t d = 0; d < config.domains.size(); ++d) {
    for (std::size_t r = 0; r < config.domains[d].relays.size(); ++r) {
      const Relay& relay = config.domains[d].relays[r];
      const Service* s = match(catalog, relay.host);
      if (s == nullptr) continue;
      json facts = json::object();
      for (const char* key : {"hosts", "ports", "auth", "username", "limitPerDay", "rate",
                              "recipientsPerMessage", "envelope", "from", "spfInclude", "dkim"}) {
        if (s->raw.contains(key)) facts[key] = s->raw.at(key);
      }
      out.push_back({{"path", relay_path(d, r)},
                     {"host", relay.host},
                     {"service", s->id},
                     {"serviceName", s->name},
                     {"form", s->form},
                     {"setup", s->setup},
                     {"dataVersion", catalog.version},
                     {"facts", std::move(facts)}});
    }
  }
  return out;
}

}  // namespace hosted
}  // namespace relaycheck
