// `relaycheck dns fetch` and the `--live` loop of `analyze` and `spf check|lint`: core plans the
// lookups, builds every query and reads every answer; this file carries the bytes to a resolver
// (dns_client.hpp), loops, and reports progress on stderr.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "commands.hpp"
#include "dns_client.hpp"
#include "live_dns.hpp"
#include "relaycheck/facade.hpp"

namespace relaycheck::cli {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

/// Calls the façade and returns its whole response ({"ok", "result"|"error"}): the caller decides
/// whether an error stops the command or only one lookup.
json facade(const std::string& method, const json& request) {
  return json::parse(call(method, request.dump(-1, ' ', false, json::error_handler_t::replace)));
}

/// The result of a façade call that must succeed; an error is Unusable with `source` and path.
json facade_result(const std::string& method, const json& request, const std::string& source) {
  return call_facade(method, request, source);
}

/// Lowercase and without a trailing dot: the form of an owner name in the zone map.
std::string owner_name(std::string name) {
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

/// The time now in RFC 3339 UTC, to the second: when the answers were fetched.
std::string now_rfc3339() {
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

/// `--timeout S`: seconds, a decimal from 0.1 to 60.
std::chrono::milliseconds timeout_option(const Args& args) {
  if (!args.has("--timeout")) return std::chrono::milliseconds(3000);
  const std::string text = args.value("--timeout");
  char* end = nullptr;
  const double seconds = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(seconds) || seconds < 0.1 ||
      seconds > 60) {
    throw Unusable("--timeout '" + text + "': give seconds from 0.1 to 60 (e.g. 2 or 0.5)");
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

/// The resolvers to ask: --server's, else the nameservers of --resolv-conf (or /etc/resolv.conf).
std::vector<dns::Server> server_options(const Args& args) {
  std::vector<dns::Server> servers;
  if (args.has("--server")) {
    if (args.has("--resolv-conf")) throw Unusable("give --server or --resolv-conf, not both");
    for (const auto& text : args.values.at("--server")) {
      dns::ParsedServer parsed = dns::parse_server(text);
      if (!parsed.server) throw Unusable("--server '" + text + "': " + parsed.error);
      servers.push_back(*parsed.server);
    }
    return servers;
  }
  const std::string path = args.value("--resolv-conf", "/etc/resolv.conf");
  const dns::ResolvConf conf = dns::parse_resolv_conf(read_input(path));
  for (const auto& warning : conf.warnings)
    std::cerr << "relaycheck: " << terminal_safe(path + ": " + warning) << "\n";
  if (conf.servers.empty()) {
    throw Unusable(path + " lists no usable nameserver: give a resolver with --server IP[:PORT]");
  }
  return conf.servers;
}

/// One resolver and how it has done so far.
struct ServerState {
  dns::Server server;
  std::size_t answered = 0;
  bool dead = false;       ///< not asked again: it answered nothing of a whole round
  std::string last_error;  ///< for "no resolver answered"
};

/// What one lookup gave: the zone fragment to merge and who answered ("" when nobody did).
struct Fetched {
  json entries;  ///< null when core cannot even encode the query (nothing to merge)
  std::string resolver;
};

using Lookups = std::vector<std::pair<std::string, std::string>>;  // (name, type)

/// Carries core's queries to the resolvers and core's reading of their answers back. A round's
/// lookups go to the first server all at once; those it does not answer go to the next.
class Resolvers {
 public:
  Resolvers(std::vector<dns::Server> servers, std::chrono::milliseconds timeout)
      : timeout_(timeout), random_(std::random_device{}()) {
    for (auto& s : servers) servers_.push_back(ServerState{std::move(s), 0, false, {}});
  }

  std::vector<Fetched> fetch_all(const Lookups& lookups) {
    const std::size_t n = lookups.size();
    asked += n;
    std::vector<dns::Bytes> queries(n);
    std::vector<std::optional<Fetched>> fetched(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& [name, type] = lookups[i];
      const auto id = static_cast<std::uint16_t>(random_() & 0xFFFFu);
      const json query = facade("dns.query", {{"name", name}, {"type", type}, {"id", id}});
      if (!query.value("ok", false)) {
        // A name no DNS message can carry (core says why): nothing to ask, nothing to merge.
        std::cerr << "relaycheck: "
                  << terminal_safe(type + " " + name + ": not asked: " +
                                   query["error"].value("message", "core cannot encode it"))
                  << "\n";
        fetched[i] = Fetched{nullptr, ""};
        continue;
      }
      auto bytes = dns::base64_decode(query["result"].value("bytes", ""));
      if (!bytes) throw Unusable("core's query for " + type + " " + name + " is not base64");
      queries[i] = std::move(*bytes);
      ++sent;
    }
    std::vector<std::string> why(n);
    for (ServerState& s : servers_) {
      std::vector<std::size_t> pending;
      for (std::size_t i = 0; i < n; ++i) {
        if (!fetched[i]) pending.push_back(i);
      }
      if (pending.empty()) break;
      if (s.dead) continue;
      std::vector<dns::Bytes> batch;
      for (const std::size_t i : pending) batch.push_back(queries[i]);
      const std::vector<dns::Exchange> results = dns::exchange_all(s.server, batch, timeout_);
      std::size_t answered_now = 0;
      for (std::size_t k = 0; k < pending.size(); ++k) {
        const std::size_t i = pending[k];
        const auto& [name, type] = lookups[i];
        std::string error = results[k].error;
        if (results[k].status == dns::Status::answered) {
          const json answer =
              facade("dns.answer", {{"question", {{"name", name}, {"type", type}}},
                                    {"response", dns::base64_encode(results[k].response)}});
          if (answer.value("ok", false) && answer["result"].contains("entries") &&
              answer["result"]["entries"].is_object()) {
            ++answered_now;
            if (results[k].tcp) ++over_tcp;
            const json& result = answer["result"];
            const std::string rcode = result.value("rcodeName", "");
            if (rcode != "NOERROR" && rcode != "NXDOMAIN") {
              ++temporary;
              std::cerr << "relaycheck: " << terminal_safe(type + " " + name) << ": "
                        << s.server.display() << " answered " << terminal_safe(rcode)
                        << ": kept as a temporary error (retry later), not as a failure\n";
            }
            fetched[i] = Fetched{result["entries"], s.server.display()};
            continue;
          }
          // An answer core cannot read is this server's fault: ask the next one.
          error = answer.value("ok", false)
                      ? "a truncated answer over TCP"
                      : answer["error"].value("message", "an unreadable answer");
        }
        s.last_error = error;
        why[i] += (why[i].empty() ? "" : "; ") + s.server.display() + ": " + error;
      }
      s.answered += answered_now;
      // A server that answered nothing of a whole round, and never before: nobody is there.
      if (answered_now == 0 && s.answered == 0) s.dead = true;
    }
    std::vector<Fetched> out;
    for (std::size_t i = 0; i < n; ++i) {
      if (fetched[i]) {
        out.push_back(std::move(*fetched[i]));
        continue;
      }
      const auto& [name, type] = lookups[i];
      ++unanswered;
      std::cerr << "relaycheck: " << terminal_safe(type + " " + name) << ": no answer ("
                << terminal_safe(why[i].empty() ? "every resolver was given up" : why[i])
                << "): kept as a temporary error\n";
      json entries = json::object();
      entries[owner_name(name)] = json::array({json{{"type", "TIMEOUT"}}});
      out.push_back(Fetched{std::move(entries), ""});
    }
    return out;
  }

  bool any_answered() const {
    for (const auto& s : servers_) {
      if (s.answered > 0) return true;
    }
    return false;
  }

  /// "no resolver answered: tried 127.0.0.1:9 (Connection refused), ..." for Unusable.
  std::string nobody_answered() const {
    std::string text = "no resolver answered: tried ";
    for (std::size_t i = 0; i < servers_.size(); ++i) {
      const auto& s = servers_[i];
      text += (i == 0 ? "" : ", ") + s.server.display() +
              (s.last_error.empty() ? std::string(" (not asked)") : " (" + s.last_error + ")");
    }
    return text + "; give a resolver that answers with --server IP[:PORT] or --resolv-conf FILE";
  }

  std::size_t asked = 0;
  std::size_t sent = 0;  ///< queries core could encode
  std::size_t over_tcp = 0;
  std::size_t unanswered = 0;
  std::size_t temporary = 0;

 private:
  std::vector<ServerState> servers_;
  std::chrono::milliseconds timeout_;
  std::mt19937 random_;
};

/// The answers of one round, grouped by the resolver that gave them (dns.merge takes one).
using AnswerGroups = std::vector<std::pair<std::string, json>>;

void add_answer(AnswerGroups& groups, const std::string& resolver, json answer) {
  for (auto& g : groups) {
    if (g.first == resolver) {
      g.second.push_back(std::move(answer));
      return;
    }
  }
  groups.emplace_back(resolver, json::array({std::move(answer)}));
}

/// One round: the lookups (cut to what the limit leaves) sent together, their answers grouped by
/// resolver; a lookup core cannot encode is remembered in `unaskable` and not asked again. Throws
/// Unusable when queries went out and no resolver answered any of them.
AnswerGroups fetch_round(Resolvers& resolvers, Lookups& lookups,
                         std::set<std::pair<std::string, std::string>>& unaskable) {
  if (lookups.size() > kMaxLiveLookups - resolvers.asked) {
    lookups.resize(kMaxLiveLookups - resolvers.asked);
  }
  AnswerGroups groups;
  std::vector<Fetched> fetched = resolvers.fetch_all(lookups);
  for (std::size_t i = 0; i < lookups.size(); ++i) {
    if (fetched[i].entries.is_null()) {
      unaskable.insert(lookups[i]);
      continue;
    }
    add_answer(groups, fetched[i].resolver,
               json{{"name", lookups[i].first},
                    {"type", lookups[i].second},
                    {"entries", std::move(fetched[i].entries)}});
  }
  if (resolvers.sent > 0 && !resolvers.any_answered()) throw Unusable(resolvers.nobody_answered());
  return groups;
}

/// Counts what dns.merge changed, and reports core's findings on records that differ from those
/// the config held before (dns.records.changed) on stderr.
struct ChangeCount {
  std::size_t added = 0, changed = 0, unchanged = 0;

  void count(const json& merged) {
    const json* changes = merged.contains("changes") ? &merged["changes"] : nullptr;
    if (changes != nullptr && changes->is_array()) {
      for (const auto& c : *changes) {
        const std::string what = c.value("change", "");
        if (what == "added") ++added;
        if (what == "changed") ++changed;
        if (what == "unchanged") ++unchanged;
      }
    }
    const json* findings = merged.contains("findings") ? &merged["findings"] : nullptr;
    if (findings == nullptr || !findings->is_array()) return;
    for (const auto& f : *findings) {
      std::cerr << "relaycheck: "
                << terminal_safe(f.value("code", "") + ": " + f.value("message", "")) << "\n";
    }
  }
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void print_summary(const Resolvers& resolvers, std::size_t rounds, const ChangeCount& changes,
                   Clock::time_point start) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", seconds_since(start));
  std::cerr << "relaycheck: " << resolvers.asked << " lookups in " << rounds
            << (rounds == 1 ? " round" : " rounds") << " (" << resolvers.over_tcp << " over TCP, "
            << resolvers.temporary << " temporary errors, " << resolvers.unanswered
            << " without answer) in " << seconds << " s; records added " << changes.added
            << ", changed " << changes.changed << ", unchanged " << changes.unchanged << "\n";
}

/// The lookups of a plan ({"lookups": [{name, type}]}) or of an SPF result ({"needed": [...]}).
Lookups lookups_of(const json& list) {
  Lookups out;
  if (!list.is_array()) return out;
  for (const auto& l : list) {
    if (!l.is_object()) continue;
    out.emplace_back(l.value("name", ""), l.value("type", ""));
  }
  return out;
}

}  // namespace

void reject_live_options_without_live(const Args& args) {
  for (const auto& option : kLiveValueOptions) {
    if (args.has(option)) throw Unusable(option + " asks DNS servers: it needs --live");
  }
  for (const auto& flag : kLiveFlagOptions) {
    if (args.flag(flag)) throw Unusable(flag + " is about DNS lookups: it needs --live");
  }
}

json fetch_config(const Args& args, const std::string& config_text, const std::string& source) {
  const std::chrono::milliseconds timeout = timeout_option(args);
  Resolvers resolvers(server_options(args), timeout);
  const Clock::time_point start = Clock::now();
  // By default every record the analysis reads is fetched again, into a zone of its own
  // (`fresh`), and merged into the config at the end, so that a record that differs from the
  // one the config held is replaced and reported. --missing-only fetches only what is missing.
  const bool missing_only = args.flag("--missing-only");
  // The first round reads the text, so that core names the line of a syntax error.
  json config = config_text;
  json fresh = json::object();
  const auto plan_now = [&]() {
    return missing_only ? facade_result("dns.plan", {{"config", config}}, source)
                        : facade_result("dns.plan", {{"config", config}, {"dns", fresh}}, source);
  };
  const auto merge_into_config = [&](const json& answers, const std::string& resolver,
                                     const std::string& at, ChangeCount& changes) {
    const json merged = facade_result(
        "dns.merge", {{"config", config}, {"answers", answers}, {"resolver", resolver}, {"at", at}},
        source);
    config = merged["config"];
    changes.count(merged);
  };
  struct Batch {
    std::string resolver;
    std::string at;
    json answers;
  };
  std::vector<Batch> batches;
  std::set<std::pair<std::string, std::string>> unaskable;
  json plan = plan_now();
  ChangeCount changes;
  std::size_t rounds = 0;
  while (!plan.value("done", true) && rounds < kMaxLiveRounds &&
         resolvers.asked < kMaxLiveLookups) {
    Lookups lookups;
    for (auto& l : lookups_of(plan["lookups"])) {
      if (unaskable.count(l) == 0) lookups.push_back(std::move(l));
    }
    if (lookups.empty()) break;
    ++rounds;
    AnswerGroups groups = fetch_round(resolvers, lookups, unaskable);
    const std::string at = now_rfc3339();
    for (auto& [resolver, answers] : groups) {
      if (missing_only) {
        merge_into_config(answers, resolver, at, changes);
      } else {
        fresh = facade_result(
            "dns.merge", {{"dns", fresh}, {"answers", answers}, {"resolver", resolver}, {"at", at}},
            "the fetched answers")["dns"];
        batches.push_back(Batch{resolver, at, std::move(answers)});
      }
    }
    plan = plan_now();
    std::cerr << "round " << rounds << ": " << lookups.size() << " lookups, "
              << plan.value("total", std::size_t{0}) << " left\n";
  }
  for (const Batch& batch : batches)
    merge_into_config(batch.answers, batch.resolver, batch.at, changes);
  if (!plan.value("done", true)) {
    const bool at_limit = rounds >= kMaxLiveRounds || resolvers.asked >= kMaxLiveLookups;
    std::cerr << "relaycheck: "
              << (at_limit ? "stopped at the limit (" + std::to_string(kMaxLiveLookups) +
                                 " lookups, " + std::to_string(kMaxLiveRounds) + " rounds): "
                           : std::string("stopped: "))
              << plan.value("total", std::size_t{0}) << " lookups still needed"
              << (at_limit ? "" : ", which cannot be asked (see above)")
              << "; the analysis marks what they decide as assumed\n";
  }
  print_summary(resolvers, rounds, changes, start);
  if (config.is_string()) config = json::parse(config.get<std::string>(), nullptr, false);
  return config;
}

void fetch_spf_zone(const std::string& method, json& request, const Args& args) {
  const std::chrono::milliseconds timeout = timeout_option(args);
  Resolvers resolvers(server_options(args), timeout);
  const Clock::time_point start = Clock::now();
  request["zoneMode"] = "unknown";
  if (!request.contains("zone")) request["zone"] = json::object();
  if (request["zone"].is_string()) {
    // The zone file's text: read once here, so that the loop merges into an object.
    json parsed = json::parse(request["zone"].get<std::string>(), nullptr, false);
    if (parsed.is_discarded()) {
      facade_result(method, request, args.value("--zone"));  // core names the line and column
      throw Unusable(args.value("--zone") + ": not JSON");
    }
    request["zone"] = std::move(parsed);
  }
  std::set<std::pair<std::string, std::string>> asked;
  std::set<std::pair<std::string, std::string>> unaskable;  // asked, and never again
  ChangeCount changes;
  std::size_t rounds = 0;
  while (rounds < kMaxLiveRounds && resolvers.asked < kMaxLiveLookups) {
    const json result = facade_result(method, request, args.value("--zone"));
    Lookups lookups;
    for (auto& l : lookups_of(result.value("needed", json::array()))) {
      if (asked.insert({owner_name(l.first), l.second}).second) lookups.push_back(std::move(l));
    }
    if (lookups.empty()) break;
    ++rounds;
    AnswerGroups groups = fetch_round(resolvers, lookups, unaskable);
    const std::string at = now_rfc3339();
    for (auto& [resolver, answers] : groups) {
      const json merged = facade_result(
          "dns.merge",
          {{"dns", request["zone"]}, {"answers", answers}, {"resolver", resolver}, {"at", at}},
          "the fetched answers");
      request["zone"] = merged["dns"];
      changes.count(merged);
    }
    std::cerr << "round " << rounds << ": " << lookups.size() << " lookups\n";
  }
  print_summary(resolvers, rounds, changes, start);
}

int run_dns_fetch(int argc, char** argv, int first) {
  std::set<std::string> options = kLiveValueOptions;
  options.insert("--output");
  Args args = parse_args(argc, argv, first, options, kLiveFlagOptions);
  if (args.positional.size() != 1) throw Unusable("expected one CONFIG.json (or - for stdin)");
  const std::string& path = args.positional[0];
  const json config = fetch_config(args, read_input(path), path);
  const std::string text = config.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  if (args.has("--output")) {
    write_output(args.value("--output"), text);
  } else {
    print(text);
  }
  return kAnswered;
}

}  // namespace relaycheck::cli
