// check_host() of RFC 7208 §4 over a DnsView, with the limits of §4.6.4 and a trace.
//
// Three parts, each with one job:
//   Session    the DNS side of one check: queries (and the lookups still needed), the trace,
//              the two counters of §4.6.4, and the one place where what a term's query
//              answered becomes what the term does (look at the records, no match, a void
//              lookup, temperror, permerror past a limit);
//   Macros     the macro values of the message, filled when a macro first uses them, and the
//              validated names of the client (§5.5) behind `ptr` and %{p};
//   Evaluator  the records: one domain's record term by term in a Frame (domain, depth, term),
//              include and redirect one frame deeper, and the explanation of a fail.
#include <algorithm>
#include <array>
#include <initializer_list>

#include "spf/spf.hpp"
#include "text/ascii.hpp"

namespace relaycheck::spf {
namespace {

enum class Scope { top, include, redirect };

/// What a term does: match, not match, or end the evaluation (the outcome says how).
enum class Match { yes, no, stop };

/// Where evaluation stands: the domain whose record is evaluated, its depth (0 for the checked
/// domain, one more per include or redirect), and the term being evaluated ("" for the record
/// itself). Views into strings that outlive the frame.
struct Frame {
  std::string_view domain;
  unsigned depth = 0;
  std::string_view term;

  Frame at(std::string_view other) const { return Frame{domain, depth, other}; }
};

/// What evaluating one domain's record gave.
struct Outcome {
  Result result = Result::neutral;
  std::string code;
  std::string reason;
  std::vector<MatchedTerm> path;
  bool unknown = false;            ///< none because the view did not know the TXT records
  std::optional<MacroString> exp;  ///< fail by a mechanism: the record's exp=, if any
  std::string fail_domain;         ///< fail by a mechanism: the domain whose record failed
};

Outcome error_outcome(Result result, std::string code, std::string reason) {
  Outcome o;
  o.result = result;
  o.code = std::move(code);
  o.reason = std::move(reason);
  return o;
}

std::string_view without_dot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

/// Names equal as normalize_name() compares them (ASCII case, one trailing dot), without copies.
bool same_name(std::string_view x, std::string_view y) {
  x = without_dot(x);
  y = without_dot(y);
  if (x.size() != y.size()) return false;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (text::to_lower(x[k]) != text::to_lower(y[k])) return false;
  }
  return true;
}

bool name_within(std::string_view name, std::string_view domain) {
  name = without_dot(name);
  domain = without_dot(domain);
  if (same_name(name, domain)) return true;
  return name.size() > domain.size() &&
         same_name(name.substr(name.size() - domain.size()), domain) &&
         name[name.size() - domain.size() - 1] == '.';
}

/// The pieces joined, allocated once (the chained + of std::string allocates at every step).
std::string cat(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 0;
  for (auto piece : pieces) size += piece.size();
  std::string out;
  out.reserve(size);
  for (auto piece : pieces) out.append(piece.data(), piece.size());
  return out;
}

std::string uppercase_nibbles(const ip::Address& address) {
  // %{i} of an IPv6 client: 32 dot-separated nibbles (§7.3), in uppercase as the RFC 7208 test
  // suite expects them in explanations.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (int nibble = 31; nibble >= 0; --nibble) {
    const std::uint64_t half = nibble >= 16 ? address.hi : address.lo;
    out += kHex[(half >> ((nibble % 16) * 4)) & 0xfu];
    if (nibble != 0) out += '.';
  }
  return out;
}

/// A sender split at its last '@', as views into it: an empty local-part stands for postmaster
/// (§4.3); a sender without '@' is all domain.
struct SenderParts {
  std::string_view local;
  std::string_view domain;
};

SenderParts split_sender(std::string_view sender) {
  const std::size_t at = sender.rfind('@');
  if (at == std::string_view::npos) return {{}, sender};
  return {sender.substr(0, at), sender.substr(at + 1)};
}

/// s, l, o and h: the macro letters of the message.
void fill_message_macros(MacroValues& values, const SenderParts& sender, std::string_view helo) {
  values.l = sender.local.empty() ? std::string_view("postmaster") : sender.local;
  values.o = sender.domain;
  values.s = cat({values.l, "@", values.o});
  values.h = helo;
}

/// c, i, v, r and t: the macro letters of the client and the receiver. `ip` is unmapped.
void fill_client_macros(MacroValues& values, const ip::Address& ip, const CheckOptions& options) {
  const bool ipv6 = ip.family == ip::Family::v6;
  values.c = ip::to_string(ip);
  values.i = ipv6 ? uppercase_nibbles(ip) : values.c;
  values.v = ipv6 ? "ip6" : "in-addr";
  values.r = options.receiver;
  values.t = std::to_string(options.timestamp);
}

// ---------------------------------------------------------------------------------------------
// Session: queries, the trace, the limits, and DNS answers turned into results
// ---------------------------------------------------------------------------------------------

class Session {
 public:
  Session(const DnsView& dns, const CheckOptions& options, CheckResult& out)
      : dns_(dns), options_(options), out_(out) {}

  /// True when steps are recorded: callers that build a detail text check it first, so that
  /// bulk evaluation builds no text it throws away.
  bool tracing() const { return options_.trace; }

  /// Records a trace step about the frame's term.
  void step(const Frame& f, const char* event, std::string_view detail) {
    if (!options_.trace) return;
    out_.trace.push_back(TraceStep{f.depth, std::string(f.domain), event, std::string(f.term),
                                   std::string(detail), lookups_, voids_});
  }

  /// Ends a record or a term with `outcome`: a "result" step, and the outcome to return.
  Outcome conclude(const Frame& f, Outcome outcome) {
    step(f, "result", outcome.reason);
    return outcome;
  }

  /// The view's answer, traced; an "unknown" answer lists the lookup as needed.
  const DnsAnswer& ask(const Frame& f, std::string_view name, RrType type) {
    const DnsAnswer& answer = dns_.query(name, type);
    if (answer.status == DnsStatus::unknown) add_needed(out_.needed, name, type);
    if (options_.trace) step(f, "query", describe(answer, name, type));
    return answer;
  }

  /// Counts the frame's term against kLookupLimit; false (with `fail` set) past the limit.
  bool count_lookup(const Frame& f, Outcome& fail) {
    if (++lookups_ <= kLookupLimit) return true;
    exceeded(f, "spf.limit.lookups",
             "more than " + std::to_string(kLookupLimit) +
                 " DNS-lookup terms (include, a, mx, ptr, exists, redirect): '" +
                 std::string(f.term) + "' in " + std::string(f.domain) + " is the " +
                 std::to_string(lookups_) + "th",
             fail);
    return false;
  }

  /// A void lookup of the frame's term: no match, or permerror past kVoidLimit.
  Match void_lookup(const Frame& f, Outcome& fail) {
    if (++voids_ > kVoidLimit) {
      return exceeded(f, "spf.limit.void",
                      "more than " + std::to_string(kVoidLimit) +
                          " void lookups (NXDOMAIN or no data): '" + std::string(f.term) + "' in " +
                          std::string(f.domain) + " is the " + std::to_string(voids_) + "rd",
                      fail);
    }
    if (tracing()) {
      step(f, "void",
           "void lookup " + std::to_string(voids_) + " of " + std::to_string(kVoidLimit));
    }
    return Match::no;
  }

  /// A limit of §4.6.4 passed: permerror.
  Match exceeded(const Frame& f, const char* code, std::string reason, Outcome& fail) {
    fail = error_outcome(Result::permerror, code, std::move(reason));
    step(f, "limit", fail.reason);
    return Match::stop;
  }

  /// What the answer to a term's own query (`name`, `type`) leaves the term to do: nothing
  /// when there are records to look at (nullopt); otherwise its result. "Unknown" does not
  /// match (the lookup is listed as needed), a void answer counts against kVoidLimit, a DNS
  /// error is temperror (§4.4, §4.6.4, §5).
  std::optional<Match> settle(const Frame& f, const DnsAnswer& answer, std::string_view name,
                              RrType type, Outcome& fail) {
    switch (answer.status) {
      case DnsStatus::records:
        return std::nullopt;
      case DnsStatus::unknown:
        return Match::no;
      case DnsStatus::no_data:
      case DnsStatus::nxdomain:
        return void_lookup(f, fail);
      case DnsStatus::temp_error:
        return temp_error(f, name, type, fail);
    }
    return Match::no;
  }

  /// A DNS error looking up `name`: temperror, for the record or for the frame's term.
  Match temp_error(const Frame& f, std::string_view name, RrType type, Outcome& fail) {
    std::string reason =
        "DNS error looking up " + std::string(to_string(type)) + " " + std::string(name);
    if (!f.term.empty()) reason += " for '" + std::string(f.term) + "' in " + std::string(f.domain);
    fail = conclude(f, error_outcome(Result::temperror, "spf.dns.temperror", std::move(reason)));
    return Match::stop;
  }

  /// The query of `a`, `mx` and `exists` on a target that is not a valid name: treated as a
  /// name that does not exist (RFC 7208 leaves it open; the suite prefers this).
  Match malformed_target(const Frame& f, const std::string& name, Outcome& fail) {
    if (tracing()) {
      step(f, "query", "'" + name + "' is not a valid domain name: treated as non-existent");
    }
    return void_lookup(f, fail);
  }

  unsigned lookups() const { return lookups_; }
  unsigned voids() const { return voids_; }

 private:
  /// A query and its answer for the trace: "A name → CNAME alias: 2 records (192.0.2.1, ...)".
  static std::string describe(const DnsAnswer& answer, std::string_view name, RrType type) {
    std::string detail = std::string(to_string(type)) + " " + std::string(name);
    for (const auto& alias : answer.cnames) detail += " → CNAME " + alias;
    detail += ": ";
    if (answer.status == DnsStatus::records) {
      const std::size_t n =
          answer.txt.size() + answer.addresses.size() + answer.mx.size() + answer.names.size();
      detail += std::to_string(n) + (n == 1 ? " record" : " records");
      if (type == RrType::a || type == RrType::aaaa) {
        detail += " (";
        for (std::size_t k = 0; k < answer.addresses.size(); ++k) {
          detail += (k ? ", " : "") + ip::to_string(answer.addresses[k]);
        }
        detail += ")";
      }
    } else {
      detail += std::string(to_string(answer.status));
      if (answer.status == DnsStatus::unknown) detail += " (not fetched yet: needed)";
    }
    return detail;
  }

  const DnsView& dns_;
  const CheckOptions& options_;
  CheckResult& out_;
  unsigned lookups_ = 0;
  unsigned voids_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Macros: the values of the message and of the client, filled when first used
// ---------------------------------------------------------------------------------------------

/// Validated names of the client (§5.5): PTR names, the first kPtrLimit, whose addresses
/// include it.
struct Validated {
  bool ptr_void = false;  ///< the PTR lookup answered NXDOMAIN or no data
  std::vector<std::string> names;
};

class Macros {
 public:
  /// `ip` is the client, unmapped.
  Macros(Session& session, const ip::Address& ip, const CheckOptions& options)
      : session_(session), ip_(ip), options_(options) {}

  /// The message the macros s, l, o and h describe; the views must outlive the evaluation.
  void set_message(const SenderParts& sender, std::string_view helo) {
    sender_ = sender;
    helo_ = helo;
  }

  /// A macro-string expanded in the frame's domain.
  std::string expand_in(const MacroString& macro, const Frame& f) {
    values_.d.assign(f.domain.data(), f.domain.size());
    if (!client_values_ &&
        std::any_of(macro.parts.begin(), macro.parts.end(), [](const MacroPart& part) {
          return part.letter == 'c' || part.letter == 'i' || part.letter == 'v' ||
                 part.letter == 'r' || part.letter == 't';
        })) {
      fill_client_macros(values_, ip_, options_);
      client_values_ = true;
    }
    if (!message_values_ &&
        std::any_of(macro.parts.begin(), macro.parts.end(), [](const MacroPart& part) {
          return part.letter == 's' || part.letter == 'l' || part.letter == 'o' ||
                 part.letter == 'h';
        })) {
      fill_message_macros(values_, sender_, helo_);
      message_values_ = true;
    }
    if (macro.uses('p')) values_.p = p_macro(f);
    return expand(macro, values_);
  }

  /// The target name of a term: its domain-spec expanded, or the frame's domain.
  std::string target_of(const std::optional<MacroString>& spec, const Frame& f) {
    if (!spec) return std::string(f.domain);
    return target_name(expand_in(*spec, f));
  }

  /// The client's validated names, looked up once per check (for the frame's term).
  const Validated& validated(const Frame& f) {
    if (validated_) return *validated_;
    Validated v;
    const DnsAnswer& ptr = session_.ask(f, reverse_name(ip_), RrType::ptr);
    v.ptr_void = ptr.is_void();
    const std::size_t n = std::min(ptr.names.size(), kPtrLimit);
    if (ptr.names.size() > kPtrLimit && session_.tracing()) {
      session_.step(f, "limit",
                    std::to_string(ptr.names.size()) + " PTR names; only the first " +
                        std::to_string(kPtrLimit) + " are looked at");
    }
    const RrType type = ip_.family == ip::Family::v6 ? RrType::aaaa : RrType::a;
    for (std::size_t k = 0; k < n; ++k) {
      const std::string name = normalize_name(ptr.names[k]);
      if (!is_valid_query_name(name)) continue;
      const DnsAnswer& addresses = session_.ask(f, name, type);
      // A DNS error here skips the name (§5.5).
      if (addresses.status != DnsStatus::records) continue;
      if (std::find(addresses.addresses.begin(), addresses.addresses.end(), ip_) !=
          addresses.addresses.end()) {
        v.names.push_back(name);
      }
    }
    validated_ = std::move(v);
    return *validated_;
  }

 private:
  /// %{p} (§7.3): the validated name equal to <domain>, else one under it, else the first.
  std::string p_macro(const Frame& f) {
    const Validated& v = validated(f.at("%{p}"));
    if (v.names.empty()) return "unknown";
    for (const auto& name : v.names) {
      if (same_name(name, f.domain)) return name;
    }
    for (const auto& name : v.names) {
      if (name_within(name, f.domain)) return name;
    }
    return v.names.front();
  }

  Session& session_;
  const ip::Address& ip_;
  const CheckOptions& options_;
  MacroValues values_;
  std::optional<Validated> validated_;
  SenderParts sender_;
  std::string_view helo_;
  bool client_values_ = false;   ///< values_ c, i, v, r, t are filled
  bool message_values_ = false;  ///< values_ s, l, o, h are filled (most records use none)
};

// ---------------------------------------------------------------------------------------------
// Evaluator: records, terms, include and redirect, the explanation
// ---------------------------------------------------------------------------------------------

class Evaluator {
 public:
  Evaluator(const DnsView& dns, const ip::Address& ip, const CheckOptions& options,
            CheckResult& out)
      : ip_(ip::unmap(ip)),
        ipv6_(ip_.family == ip::Family::v6),
        options_(options),
        out_(out),
        session_(dns, options, out),
        macros_(session_, ip_, options) {}

  /// The message the macros s, l, o and h describe; the views must outlive run().
  void set_message(const SenderParts& sender, std::string_view helo) {
    macros_.set_message(sender, helo);
  }

  void run(std::string_view domain) {
    Outcome outcome = check(domain, 0, Scope::top);
    out_.result = outcome.result;
    out_.code = std::move(outcome.code);
    out_.reason = std::move(outcome.reason);
    out_.matched = std::move(outcome.path);
    if (outcome.result == Result::fail) explain(outcome);
    out_.lookups = session_.lookups();
    out_.void_lookups = session_.voids();
  }

 private:
  // ---- one record ---------------------------------------------------------------------------
  /// check_host() of one domain (§4): its record term by term, then redirect or the default.
  Outcome check(std::string_view domain, unsigned depth, Scope scope) {
    const Frame f{domain, depth, {}};
    if (!is_checkable_domain(domain)) {
      return session_.conclude(
          f, error_outcome(Result::none, "spf.none.malformed_domain",
                           "'" + std::string(domain) + "' is not a valid multi-label domain name"));
    }
    std::string_view text;
    std::string joined;
    if (std::optional<Outcome> without = find_record(f, text, joined)) return std::move(*without);
    session_.step(f, "record", text);
    ParsedRecord uncached;
    if (options_.cache == nullptr) uncached = parse_record(text);
    const ParsedRecord& parsed = options_.cache ? options_.cache->parse(text) : uncached;
    if (!parsed) {
      const SyntaxError& e = parsed.error;
      return session_.conclude(
          f.at(e.term),
          error_outcome(Result::permerror, e.code,
                        "syntax error in the record of " + std::string(domain) +
                            (e.term.empty() ? "" : " at '" + e.term + "'") + ": " + e.message));
    }
    return evaluate(*parsed.record, f, scope);
  }

  /// The one SPF record among the TXT records of the frame's domain (§4.5), in `text` (read in
  /// place when it is one string, else joined into `joined`); or, when there is not exactly
  /// one, the outcome: temperror, none, or permerror for several.
  std::optional<Outcome> find_record(const Frame& f, std::string_view& text, std::string& joined) {
    const DnsAnswer& answer = session_.ask(f, f.domain, RrType::txt);
    if (answer.status == DnsStatus::temp_error) {
      Outcome fail;
      session_.temp_error(f, f.domain, RrType::txt, fail);
      return fail;
    }
    std::size_t records = 0;
    for (const auto& txt : answer.txt) {
      if (txt.size() == 1) {
        if (!is_spf_record(txt.front())) continue;
        if (++records == 1) text = txt.front();
      } else {
        std::string all = join_strings(txt);
        if (!is_spf_record(all)) continue;
        if (++records == 1) {
          joined = std::move(all);
          text = joined;
        }
      }
    }
    if (records == 1) return std::nullopt;
    const std::string name(f.domain);
    if (records > 1) {
      return session_.conclude(
          f, error_outcome(Result::permerror, "spf.record.multiple",
                           name + " publishes " + std::to_string(records) +
                               " SPF records; there must be exactly one (RFC 7208 §4.5)"));
    }
    const bool unknown = answer.status == DnsStatus::unknown;
    Outcome o = error_outcome(
        Result::none, unknown ? "spf.none.unknown" : "spf.none.no_record",
        unknown ? "TXT " + name + " not fetched yet" : name + " publishes no SPF record");
    o.unknown = unknown;
    return session_.conclude(f, std::move(o));
  }

  /// The directives in order until one matches (§4.6.2), then redirect, then neutral.
  Outcome evaluate(const Record& record, const Frame& f, Scope scope) {
    for (const Directive& d : record.directives) {
      const Frame at = f.at(d.text);
      Outcome fail;
      std::vector<MatchedTerm> inner_path;
      if (costs_lookup(d.mechanism) && !session_.count_lookup(at, fail)) return fail;
      const Match m = mechanism(d, at, fail, inner_path);
      if (m == Match::stop) return fail;
      if (m == Match::no) {
        session_.step(at, "term", "no match");
        continue;
      }
      return matched(record, d, at, scope, inner_path);
    }
    if (record.redirect && !record.has_all()) return redirect(record, f);
    Outcome o;
    o.result = Result::neutral;
    if (options_.details && scope != Scope::include) {
      o.reason =
          cat({"no mechanism in the record of ", f.domain, " matched: the default is neutral"});
    }
    if (session_.tracing()) {
      session_.step(f, "result",
                    "no mechanism in the record of " + std::string(f.domain) +
                        " matched: the default is neutral");
    }
    return o;
  }

  /// The outcome of the matching directive `d`: its qualifier's result, and the path to it.
  Outcome matched(const Record& record, const Directive& d, const Frame& at, Scope scope,
                  std::vector<MatchedTerm>& inner_path) {
    Outcome o;
    o.result = result_of(d.qualifier);
    // Inside an include only a pass is used, and never its reason: build neither text nor
    // path for what the include would throw away.
    if (options_.details && scope != Scope::include) {
      o.reason = cat({"'", d.text, "' in ", at.domain, " matched"});
    }
    if (options_.details && (scope != Scope::include || o.result == Result::pass)) {
      o.path.reserve(1 + inner_path.size());
      o.path.push_back(MatchedTerm{std::string(at.domain), d.text, at.depth, d.offset});
      o.path.insert(o.path.end(), std::make_move_iterator(inner_path.begin()),
                    std::make_move_iterator(inner_path.end()));
    }
    if (o.result == Result::fail && scope != Scope::include) {
      o.fail_domain = std::string(at.domain);
      o.exp = record.exp;
    }
    if (session_.tracing()) {
      session_.step(at, "match", "match: " + std::string(to_string(o.result)));
    }
    return o;
  }

  /// redirect= when no directive matched and there is no `all` (§6.1): the target's result.
  Outcome redirect(const Record& record, const Frame& f) {
    const Frame at = f.at(record.redirect_text);
    Outcome fail;
    if (!session_.count_lookup(at, fail)) return fail;
    const std::string target = macros_.target_of(record.redirect, f);
    if (session_.tracing()) {
      session_.step(at, "term", "no mechanism matched: redirect to " + target);
    }
    Outcome inner = check(target, f.depth + 1, Scope::redirect);
    if (inner.result == Result::none && !inner.unknown) {
      return without_record(at, "spf.redirect.none", target, inner);
    }
    if (!inner.path.empty() || inner.result == Result::neutral) {
      inner.path.insert(inner.path.begin(), MatchedTerm{std::string(f.domain), record.redirect_text,
                                                        f.depth, record.redirect_offset});
    }
    return inner;
  }

  /// An include or redirect whose target has no SPF record: permerror (§5.2, §6.1).
  Outcome without_record(const Frame& at, const char* code, const std::string& target,
                         const Outcome& inner) {
    return session_.conclude(
        at, error_outcome(Result::permerror, code,
                          "'" + std::string(at.term) + "' in " + std::string(at.domain) + ": " +
                              target + " has no SPF record (" + inner.reason + ")"));
  }

  // ---- mechanisms ---------------------------------------------------------------------------
  Match mechanism(const Directive& d, const Frame& at, Outcome& fail,
                  std::vector<MatchedTerm>& inner_path) {
    switch (d.mechanism) {
      case Mechanism::all:
        return Match::yes;
      case Mechanism::ip4:
      case Mechanism::ip6:
        return ip::contains(d.network, ip_) ? Match::yes : Match::no;
      case Mechanism::a:
        return mechanism_a(d, at, fail);
      case Mechanism::mx:
        return mechanism_mx(d, at, fail);
      case Mechanism::ptr:
        return mechanism_ptr(d, at, fail);
      case Mechanism::exists:
        return mechanism_exists(d, at, fail);
      case Mechanism::include:
        return mechanism_include(d, at, fail, inner_path);
    }
    return Match::no;
  }

  bool matches(const ip::Address& address, const Directive& d) const {
    if (address.family != ip_.family) return false;
    const auto prefix = ip::make_prefix(address, ipv6_ ? d.cidr6 : d.cidr4);
    return prefix && ip::contains(*prefix, ip_);
  }

  /// The query a term makes of its own target (a, mx, exists): the answer to look at, or what
  /// the term does without looking (a malformed target, or what settle() decides).
  struct TermQuery {
    std::string name;
    const DnsAnswer* answer = nullptr;  ///< records to look at; null when `decided` holds
    Match decided = Match::no;
  };

  TermQuery query_term(const Directive& d, const Frame& at, RrType type, Outcome& fail) {
    TermQuery q;
    q.name = macros_.target_of(d.domain, at);
    if (!is_valid_query_name(q.name)) {
      q.decided = session_.malformed_target(at, q.name, fail);
      return q;
    }
    const DnsAnswer& answer = session_.ask(at, q.name, type);
    if (const auto settled = session_.settle(at, answer, q.name, type, fail)) {
      q.decided = *settled;
      return q;
    }
    q.answer = &answer;
    return q;
  }

  Match mechanism_a(const Directive& d, const Frame& at, Outcome& fail) {
    const TermQuery q = query_term(d, at, ipv6_ ? RrType::aaaa : RrType::a, fail);
    if (q.answer == nullptr) return q.decided;
    for (const auto& address : q.answer->addresses) {
      if (matches(address, d)) return Match::yes;
    }
    return Match::no;
  }

  Match mechanism_mx(const Directive& d, const Frame& at, Outcome& fail) {
    const TermQuery q = query_term(d, at, RrType::mx, fail);
    if (q.answer == nullptr) return q.decided;
    const DnsAnswer& answer = *q.answer;
    if (answer.mx.size() > kMxLimit) {
      return session_.exceeded(at, "spf.limit.mx",
                               "'" + d.text + "' in " + std::string(at.domain) + ": " + q.name +
                                   " has " + std::to_string(answer.mx.size()) +
                                   " MX records; at most " + std::to_string(kMxLimit) +
                                   " may be looked up (RFC 7208 §4.6.4)",
                               fail);
    }
    // The exchanges in order of preference (at most kMxLimit, sorted in place without a copy).
    std::array<const MxRecord*, kMxLimit> order{};
    const std::size_t count = answer.mx.size();
    for (std::size_t k = 0; k < count; ++k) order[k] = &answer.mx[k];
    std::stable_sort(
        order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count),
        [](const MxRecord* x, const MxRecord* y) { return x->preference < y->preference; });
    const RrType type = ipv6_ ? RrType::aaaa : RrType::a;
    for (std::size_t k = 0; k < count; ++k) {
      const std::string_view host = without_dot(order[k]->exchange);
      if (host.empty()) continue;  // null MX (RFC 7505)
      if (!is_valid_query_name(host)) continue;
      const DnsAnswer& addresses = session_.ask(at, host, type);
      // Address lookups of MX names are not terms: only a DNS error counts (§4.6.4).
      if (addresses.status == DnsStatus::temp_error) {
        return session_.temp_error(at, normalize_name(host), type, fail);
      }
      for (const auto& address : addresses.addresses) {
        if (matches(address, d)) return Match::yes;
      }
    }
    return Match::no;
  }

  Match mechanism_ptr(const Directive& d, const Frame& at, Outcome& fail) {
    const std::string target = macros_.target_of(d.domain, at);
    const Validated& v = macros_.validated(at);
    if (v.ptr_void) return session_.void_lookup(at, fail);
    // A DNS error on the PTR lookup makes the mechanism not match (§5.5).
    for (const auto& name : v.names) {
      if (name_within(name, target)) return Match::yes;
    }
    return Match::no;
  }

  Match mechanism_exists(const Directive& d, const Frame& at, Outcome& fail) {
    const TermQuery q = query_term(d, at, RrType::a, fail);  // always A (§5.7)
    return q.answer == nullptr ? q.decided : Match::yes;
  }

  Match mechanism_include(const Directive& d, const Frame& at, Outcome& fail,
                          std::vector<MatchedTerm>& inner_path) {
    const std::string name = macros_.target_of(d.domain, at);
    Outcome inner = check(name, at.depth + 1, Scope::include);
    switch (inner.result) {
      case Result::pass:
        inner_path = std::move(inner.path);
        return Match::yes;
      case Result::fail:
      case Result::softfail:
      case Result::neutral:
        return Match::no;
      case Result::temperror:
      case Result::permerror:
        fail = std::move(inner);
        fail.path.clear();
        return Match::stop;
      case Result::none:
        if (inner.unknown) return Match::no;
        fail = without_record(at, "spf.include.none", name, inner);
        return Match::stop;
    }
    return Match::no;
  }

  // ---- explanation --------------------------------------------------------------------------
  void explain(const Outcome& outcome) {
    const std::string& domain = outcome.fail_domain.empty() ? out_.domain : outcome.fail_domain;
    const Frame f{domain, 0, {}};
    if (outcome.exp) {
      std::string why;
      if (explain_from(*outcome.exp, f, why)) return;
      session_.step(f, "exp", "exp= ignored (" + why + "): the default explanation is used");
    }
    // Text without '%' expands to itself (and is used as written when it is not valid).
    if (options_.default_explanation.find('%') == std::string::npos) {
      out_.explanation = options_.default_explanation;
      return;
    }
    ParsedMacro fallback =
        parse_macro_string(options_.default_explanation, MacroContext::explanation);
    out_.explanation =
        fallback ? macros_.expand_in(*fallback.value, f) : options_.default_explanation;
  }

  /// The explanation at the exp= target (§6.2); false with `why` when there is none to use.
  bool explain_from(const MacroString& exp, const Frame& f, std::string& why) {
    const std::string name = target_name(macros_.expand_in(exp, f));
    if (!is_valid_query_name(name)) {
      why = "'" + name + "' is not a valid domain name";
      return false;
    }
    const DnsAnswer& answer = session_.ask(f.at("exp="), name, RrType::txt);
    if (answer.status != DnsStatus::records) {
      why = "TXT " + name + ": " + std::string(to_string(answer.status));
      return false;
    }
    if (answer.txt.size() != 1) {
      why = "TXT " + name + " has " + std::to_string(answer.txt.size()) + " records, not one";
      return false;
    }
    ParsedMacro text =
        parse_macro_string(join_strings(answer.txt.front()), MacroContext::explanation);
    if (!text) {
      why = "the explanation text of " + name + " is not valid: " + text.error.message;
      return false;
    }
    out_.explanation = macros_.expand_in(*text.value, f);
    session_.step(f, "exp", "explanation from " + name);
    return true;
  }

  ip::Address ip_;
  bool ipv6_ = false;
  const CheckOptions& options_;
  CheckResult& out_;
  Session session_;
  Macros macros_;
};

}  // namespace

void add_needed(std::vector<Lookup>& needed, std::string_view name, RrType type) {
  Lookup lookup{normalize_name(name), type};
  if (std::find(needed.begin(), needed.end(), lookup) == needed.end()) {
    needed.push_back(std::move(lookup));
  }
}

const ParsedRecord& RecordCache::parse(std::string_view text) {
  const Entry*& known = by_address_[text.data()];
  if (known != nullptr && known->text == text) return known->parsed;
  auto it = index_.find(text);
  if (it == index_.end()) {
    const Entry& entry = entries_.emplace_back(Entry{std::string(text), parse_record(text)});
    it = index_.emplace(entry.text, &entry).first;
  }
  known = it->second;
  return known->parsed;
}

namespace {

/// check_host() with the sender already split into local-part and domain.
CheckResult check_split(const DnsView& dns, const ip::Address& ip, std::string_view domain,
                        const SenderParts& sender, std::string_view helo,
                        const CheckOptions& options) {
  CheckResult out;
  out.domain = std::string(domain);
  if (options.details) {
    out.sender = cat(
        {sender.local.empty() ? std::string_view("postmaster") : sender.local, "@", sender.domain});
  }
  Evaluator evaluator(dns, ip, options, out);
  evaluator.set_message(sender, helo);
  evaluator.run(domain);
  return out;
}

}  // namespace

CheckResult check_host(const DnsView& dns, const ip::Address& ip, std::string_view domain,
                       std::string_view sender, std::string_view helo,
                       const CheckOptions& options) {
  return check_split(dns, ip, domain, split_sender(sender), helo, options);
}

CheckResult check_mail_from(const DnsView& dns, const ip::Address& ip, std::string_view mail_from,
                            std::string_view helo, const CheckOptions& options) {
  if (mail_from.empty()) return check_helo(dns, ip, helo, options);
  const SenderParts sender = split_sender(mail_from);
  return check_split(dns, ip, sender.domain, sender, helo, options);
}

CheckResult check_helo(const DnsView& dns, const ip::Address& ip, std::string_view helo,
                       const CheckOptions& options) {
  return check_host(dns, ip, helo, "postmaster@" + std::string(helo), helo, options);
}

MacroValues message_macros(const ip::Address& ip, std::string_view sender, std::string_view helo,
                           const CheckOptions& options) {
  MacroValues values;
  fill_message_macros(values, split_sender(sender), helo);
  values.p = "unknown";
  fill_client_macros(values, ip::unmap(ip), options);
  return values;
}

}  // namespace relaycheck::spf
