// check_host() of RFC 7208 §4 over a DnsView, with the limits of §4.6.4 and a trace.
#include <algorithm>
#include <array>
#include <initializer_list>

#include "spf/spf.hpp"

namespace relaycheck::spf {
namespace {

enum class Scope { top, include, redirect };

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
    if (fold_case(x[k]) != fold_case(y[k])) return false;
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

class Evaluator {
 public:
  Evaluator(const DnsView& dns, const ip::Address& ip, const CheckOptions& options,
            CheckResult& out)
      : dns_(dns), ip_(ip::unmap(ip)), options_(options), out_(out) {
    ipv6_ = ip_.family == ip::Family::v6;
    // c, i, v, r and t are filled when a macro first uses them (most records use none).
  }

  /// The message the macros s, l, o and h describe; the views must outlive run().
  void set_message(const SenderParts& sender, std::string_view helo) {
    sender_ = sender;
    helo_ = helo;
  }

  void run(std::string_view domain) {
    Outcome outcome = check(domain, 0, Scope::top);
    out_.result = outcome.result;
    out_.code = std::move(outcome.code);
    out_.reason = std::move(outcome.reason);
    out_.matched = std::move(outcome.path);
    if (outcome.result == Result::fail) explain(outcome);
    out_.lookups = lookups_;
    out_.void_lookups = voids_;
  }

 private:
  // ---- trace and bookkeeping ------------------------------------------------------------
  /// Records a trace step; callers that build the detail text check tracing() first, so that
  /// bulk evaluation builds no text it throws away.
  void step(unsigned depth, std::string_view domain, const char* event, std::string_view term,
            std::string_view detail) {
    if (!options_.trace) return;
    out_.trace.push_back(TraceStep{depth, std::string(domain), event, std::string(term),
                                   std::string(detail), lookups_, voids_});
  }

  bool tracing() const { return options_.trace; }

  const DnsAnswer& ask(std::string_view name, RrType type, unsigned depth, std::string_view domain,
                       std::string_view term) {
    const DnsAnswer& answer = dns_.query(name, type);
    if (answer.status == DnsStatus::unknown) add_needed(out_.needed, name, type);
    if (options_.trace) {
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
      step(depth, domain, "query", term, detail);
    }
    return answer;
  }

  /// Counts a term against the 10-lookup limit; false (with `fail` set) past the limit.
  bool count(unsigned depth, std::string_view domain, std::string_view term, Outcome& fail) {
    ++lookups_;
    if (lookups_ > kLookupLimit) {
      fail = error_outcome(Result::permerror, "spf.limit.lookups",
                           "more than " + std::to_string(kLookupLimit) +
                               " DNS-lookup terms (include, a, mx, ptr, exists, redirect): '" +
                               std::string(term) + "' in " + std::string(domain) + " is the " +
                               std::to_string(lookups_) + "th");
      step(depth, domain, "limit", term, fail.reason);
      return false;
    }
    return true;
  }

  /// Counts a void lookup of a term; false (with `fail` set) past the limit.
  bool count_void(unsigned depth, std::string_view domain, std::string_view term, Outcome& fail) {
    ++voids_;
    if (voids_ > kVoidLimit) {
      fail =
          error_outcome(Result::permerror, "spf.limit.void",
                        "more than " + std::to_string(kVoidLimit) +
                            " void lookups (NXDOMAIN or no data): '" + std::string(term) + "' in " +
                            std::string(domain) + " is the " + std::to_string(voids_) + "rd");
      step(depth, domain, "limit", term, fail.reason);
      return false;
    }
    if (tracing()) {
      step(depth, domain, "void", term,
           "void lookup " + std::to_string(voids_) + " of " + std::to_string(kVoidLimit));
    }
    return true;
  }

  // ---- macros ---------------------------------------------------------------------------
  std::string expand_in(const MacroString& macro, std::string_view domain, unsigned depth) {
    values_.d.assign(domain.data(), domain.size());
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
    if (macro.uses('p')) values_.p = p_macro(domain, depth);
    return expand(macro, values_);
  }

  /// The target name of a term: its domain-spec expanded, or the current domain.
  std::string target_of(const std::optional<MacroString>& spec, std::string_view domain,
                        unsigned depth) {
    if (!spec) return std::string(domain);
    return target_name(expand_in(*spec, domain, depth));
  }

  /// Validated names of the client (§5.5): PTR names, the first 10, whose addresses include it.
  struct Validated {
    DnsStatus ptr_status = DnsStatus::unknown;
    std::vector<std::string> names;
  };

  const Validated& validated(unsigned depth, std::string_view domain, std::string_view term) {
    if (validated_) return *validated_;
    Validated v;
    const DnsAnswer& ptr = ask(reverse_name(ip_), RrType::ptr, depth, domain, term);
    v.ptr_status = ptr.status;
    const std::size_t n = std::min(ptr.names.size(), kPtrLimit);
    if (ptr.names.size() > kPtrLimit && tracing()) {
      step(depth, domain, "limit", term,
           std::to_string(ptr.names.size()) + " PTR names; only the first " +
               std::to_string(kPtrLimit) + " are looked at");
    }
    for (std::size_t k = 0; k < n; ++k) {
      const std::string name = normalize_name(ptr.names[k]);
      if (!is_valid_query_name(name)) continue;
      const DnsAnswer& addresses = ask(name, ipv6_ ? RrType::aaaa : RrType::a, depth, domain, term);
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

  /// %{p} (§7.3): the validated name equal to <domain>, else one under it, else the first.
  std::string p_macro(std::string_view domain, unsigned depth) {
    const Validated& v = validated(depth, domain, "%{p}");
    if (v.names.empty()) return "unknown";
    for (const auto& name : v.names) {
      if (same_name(name, domain)) return name;
    }
    for (const auto& name : v.names) {
      if (name_within(name, domain)) return name;
    }
    return v.names.front();
  }

  // ---- mechanisms ------------------------------------------------------------------------
  enum class Match { yes, no, stop };

  bool matches(const ip::Address& address, const Directive& d) const {
    if (address.family != ip_.family) return false;
    const auto prefix = ip::make_prefix(address, ipv6_ ? d.cidr6 : d.cidr4);
    return prefix && ip::contains(*prefix, ip_);
  }

  /// The query of `a`, `mx` (address part) and `exists` on a target that is not a valid name:
  /// treated as a name that does not exist (RFC 7208 leaves it open; the suite prefers this).
  Match malformed_target(const std::string& name, unsigned depth, std::string_view domain,
                         const Directive& d, Outcome& fail) {
    if (tracing())
      step(depth, domain, "query", d.text,
           "'" + name + "' is not a valid domain name: treated as non-existent");
    return count_void(depth, domain, d.text, fail) ? Match::no : Match::stop;
  }

  Match temp_error(const std::string& name, RrType type, unsigned depth, std::string_view domain,
                   const Directive& d, Outcome& fail) {
    fail = error_outcome(Result::temperror, "spf.dns.temperror",
                         "DNS error looking up " + std::string(to_string(type)) + " " + name +
                             " for '" + d.text + "' in " + std::string(domain));
    step(depth, domain, "result", d.text, fail.reason);
    return Match::stop;
  }

  Match mechanism_a(const Directive& d, std::string_view domain, unsigned depth, Outcome& fail) {
    const std::string name = target_of(d.domain, domain, depth);
    if (!is_valid_query_name(name)) return malformed_target(name, depth, domain, d, fail);
    const RrType type = ipv6_ ? RrType::aaaa : RrType::a;
    const DnsAnswer& answer = ask(name, type, depth, domain, d.text);
    switch (answer.status) {
      case DnsStatus::temp_error:
        return temp_error(name, type, depth, domain, d, fail);
      case DnsStatus::unknown:
        return Match::no;
      case DnsStatus::no_data:
      case DnsStatus::nxdomain:
        return count_void(depth, domain, d.text, fail) ? Match::no : Match::stop;
      case DnsStatus::records:
        break;
    }
    for (const auto& address : answer.addresses) {
      if (matches(address, d)) return Match::yes;
    }
    return Match::no;
  }

  Match mechanism_mx(const Directive& d, std::string_view domain, unsigned depth, Outcome& fail) {
    const std::string name = target_of(d.domain, domain, depth);
    if (!is_valid_query_name(name)) return malformed_target(name, depth, domain, d, fail);
    const DnsAnswer& answer = ask(name, RrType::mx, depth, domain, d.text);
    switch (answer.status) {
      case DnsStatus::temp_error:
        return temp_error(name, RrType::mx, depth, domain, d, fail);
      case DnsStatus::unknown:
        return Match::no;
      case DnsStatus::no_data:
      case DnsStatus::nxdomain:
        return count_void(depth, domain, d.text, fail) ? Match::no : Match::stop;
      case DnsStatus::records:
        break;
    }
    if (answer.mx.size() > kMxLimit) {
      fail = error_outcome(Result::permerror, "spf.limit.mx",
                           "'" + d.text + "' in " + std::string(domain) + ": " + name + " has " +
                               std::to_string(answer.mx.size()) + " MX records; at most " +
                               std::to_string(kMxLimit) + " may be looked up (RFC 7208 §4.6.4)");
      step(depth, domain, "limit", d.text, fail.reason);
      return Match::stop;
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
      std::string_view host = order[k]->exchange;
      if (!host.empty() && host.back() == '.') host.remove_suffix(1);
      if (host.empty()) continue;  // null MX (RFC 7505)
      if (!is_valid_query_name(host)) continue;
      const DnsAnswer& addresses = ask(host, type, depth, domain, d.text);
      if (addresses.status == DnsStatus::temp_error)
        return temp_error(normalize_name(host), type, depth, domain, d, fail);
      for (const auto& address : addresses.addresses) {
        if (matches(address, d)) return Match::yes;
      }
    }
    return Match::no;
  }

  Match mechanism_ptr(const Directive& d, std::string_view domain, unsigned depth, Outcome& fail) {
    const std::string target = target_of(d.domain, domain, depth);
    const Validated& v = validated(depth, domain, d.text);
    if (v.ptr_status == DnsStatus::no_data || v.ptr_status == DnsStatus::nxdomain) {
      return count_void(depth, domain, d.text, fail) ? Match::no : Match::stop;
    }
    // A DNS error on the PTR lookup makes the mechanism not match (§5.5).
    for (const auto& name : v.names) {
      if (name_within(name, target)) return Match::yes;
    }
    return Match::no;
  }

  Match mechanism_exists(const Directive& d, std::string_view domain, unsigned depth,
                         Outcome& fail) {
    const std::string name = target_of(d.domain, domain, depth);
    if (!is_valid_query_name(name)) return malformed_target(name, depth, domain, d, fail);
    const DnsAnswer& answer = ask(name, RrType::a, depth, domain, d.text);  // always A (§5.7)
    switch (answer.status) {
      case DnsStatus::temp_error:
        return temp_error(name, RrType::a, depth, domain, d, fail);
      case DnsStatus::unknown:
        return Match::no;
      case DnsStatus::no_data:
      case DnsStatus::nxdomain:
        return count_void(depth, domain, d.text, fail) ? Match::no : Match::stop;
      case DnsStatus::records:
        return Match::yes;
    }
    return Match::no;
  }

  Match mechanism_include(const Directive& d, std::string_view domain, unsigned depth,
                          Outcome& fail, std::vector<MatchedTerm>& inner_path) {
    const std::string name = target_of(d.domain, domain, depth);
    Outcome inner = check(name, depth + 1, Scope::include);
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
        fail = error_outcome(Result::permerror, "spf.include.none",
                             "'" + d.text + "' in " + std::string(domain) + ": " + name +
                                 " has no SPF record (" + inner.reason + ")");
        step(depth, domain, "result", d.text, fail.reason);
        return Match::stop;
    }
    return Match::no;
  }

  // ---- one record ------------------------------------------------------------------------
  Outcome check(std::string_view domain, unsigned depth, Scope scope) {
    if (!is_checkable_domain(domain)) {
      Outcome o =
          error_outcome(Result::none, "spf.none.malformed_domain",
                        "'" + std::string(domain) + "' is not a valid multi-label domain name");
      step(depth, domain, "result", "", o.reason);
      return o;
    }
    const DnsAnswer& answer = ask(domain, RrType::txt, depth, domain, "");
    if (answer.status == DnsStatus::temp_error) {
      Outcome o = error_outcome(Result::temperror, "spf.dns.temperror",
                                "DNS error looking up TXT " + std::string(domain));
      step(depth, domain, "result", "", o.reason);
      return o;
    }
    // The SPF records among the TXT records; a record of one string is read in place.
    std::size_t records = 0;
    std::string_view record_text;
    std::string joined;
    for (const auto& txt : answer.txt) {
      if (txt.size() == 1) {
        if (!is_spf_record(txt.front())) continue;
        if (++records == 1) record_text = txt.front();
      } else {
        std::string text = join_strings(txt);
        if (!is_spf_record(text)) continue;
        if (++records == 1) {
          joined = std::move(text);
          record_text = joined;
        }
      }
    }
    const std::string name = records == 1 ? std::string() : std::string(domain);  // for messages
    if (records == 0) {
      Outcome o = error_outcome(
          Result::none,
          answer.status == DnsStatus::unknown ? "spf.none.unknown" : "spf.none.no_record",
          answer.status == DnsStatus::unknown ? "TXT " + name + " not fetched yet"
                                              : name + " publishes no SPF record");
      o.unknown = answer.status == DnsStatus::unknown;
      step(depth, domain, "result", "", o.reason);
      return o;
    }
    if (records > 1) {
      Outcome o = error_outcome(Result::permerror, "spf.record.multiple",
                                name + " publishes " + std::to_string(records) +
                                    " SPF records; there must be exactly one (RFC 7208 §4.5)");
      step(depth, domain, "result", "", o.reason);
      return o;
    }
    step(depth, domain, "record", "", record_text);
    ParsedRecord uncached;
    if (options_.cache == nullptr) uncached = parse_record(record_text);
    const ParsedRecord& parsed = options_.cache ? options_.cache->parse(record_text) : uncached;
    if (!parsed) {
      Outcome o =
          error_outcome(Result::permerror, parsed.error.code,
                        "syntax error in the record of " + std::string(domain) +
                            (parsed.error.term.empty() ? "" : " at '" + parsed.error.term + "'") +
                            ": " + parsed.error.message);
      step(depth, domain, "result", parsed.error.term, o.reason);
      return o;
    }
    const Record& record = *parsed.record;
    for (const Directive& d : record.directives) {
      Outcome fail;
      std::vector<MatchedTerm> inner_path;
      if (costs_lookup(d.mechanism) && !count(depth, domain, d.text, fail)) return fail;
      Match m = Match::no;
      switch (d.mechanism) {
        case Mechanism::all:
          m = Match::yes;
          break;
        case Mechanism::ip4:
        case Mechanism::ip6:
          m = ip::contains(d.network, ip_) ? Match::yes : Match::no;
          break;
        case Mechanism::a:
          m = mechanism_a(d, domain, depth, fail);
          break;
        case Mechanism::mx:
          m = mechanism_mx(d, domain, depth, fail);
          break;
        case Mechanism::ptr:
          m = mechanism_ptr(d, domain, depth, fail);
          break;
        case Mechanism::exists:
          m = mechanism_exists(d, domain, depth, fail);
          break;
        case Mechanism::include:
          m = mechanism_include(d, domain, depth, fail, inner_path);
          break;
      }
      if (m == Match::stop) return fail;
      if (m == Match::no) {
        step(depth, domain, "term", d.text, "no match");
        continue;
      }
      Outcome o;
      o.result = result_of(d.qualifier);
      // Inside an include only a pass is used, and never its reason: build neither text nor
      // path for what the include would throw away.
      if (options_.details && scope != Scope::include)
        o.reason = cat({"'", d.text, "' in ", domain, " matched"});
      if (options_.details && (scope != Scope::include || o.result == Result::pass)) {
        o.path.reserve(1 + inner_path.size());
        o.path.push_back(MatchedTerm{std::string(domain), d.text, depth, d.offset});
        o.path.insert(o.path.end(), std::make_move_iterator(inner_path.begin()),
                      std::make_move_iterator(inner_path.end()));
      }
      if (o.result == Result::fail && scope != Scope::include) {
        o.fail_domain = std::string(domain);
        o.exp = record.exp;
      }
      if (tracing())
        step(depth, domain, "match", d.text, "match: " + std::string(to_string(o.result)));
      return o;
    }
    if (record.redirect && !record.has_all()) {
      Outcome fail;
      if (!count(depth, domain, record.redirect_text, fail)) return fail;
      const std::string target = target_of(record.redirect, domain, depth);
      if (tracing())
        step(depth, domain, "term", record.redirect_text,
             "no mechanism matched: redirect to " + target);
      Outcome inner = check(target, depth + 1, Scope::redirect);
      if (inner.result == Result::none && !inner.unknown) {
        Outcome o = error_outcome(Result::permerror, "spf.redirect.none",
                                  "'" + record.redirect_text + "' in " + std::string(domain) +
                                      ": " + target + " has no SPF record (" + inner.reason + ")");
        step(depth, domain, "result", record.redirect_text, o.reason);
        return o;
      }
      if (!inner.path.empty() || inner.result == Result::neutral) {
        inner.path.insert(inner.path.begin(), MatchedTerm{std::string(domain), record.redirect_text,
                                                          depth, record.redirect_offset});
      }
      return inner;
    }
    Outcome o;
    o.result = Result::neutral;
    if (options_.details && scope != Scope::include) {
      o.reason =
          cat({"no mechanism in the record of ", domain, " matched: the default is neutral"});
    }
    if (tracing())
      step(depth, domain, "result", "",
           "no mechanism in the record of " + std::string(domain) +
               " matched: the default is neutral");
    return o;
  }

  // ---- explanation ------------------------------------------------------------------------
  void explain(const Outcome& outcome) {
    const std::string& domain = outcome.fail_domain.empty() ? out_.domain : outcome.fail_domain;
    if (outcome.exp) {
      const std::string name = target_name(expand_in(*outcome.exp, domain, 0));
      std::string why;
      if (!is_valid_query_name(name)) {
        why = "'" + name + "' is not a valid domain name";
      } else {
        const DnsAnswer answer = ask(name, RrType::txt, 0, domain, "exp=");
        if (answer.status != DnsStatus::records) {
          why = "TXT " + name + ": " + std::string(to_string(answer.status));
        } else if (answer.txt.size() != 1) {
          why = "TXT " + name + " has " + std::to_string(answer.txt.size()) + " records, not one";
        } else {
          ParsedMacro text =
              parse_macro_string(join_strings(answer.txt.front()), MacroContext::explanation);
          if (text) {
            out_.explanation = expand_in(*text.value, domain, 0);
            step(0, domain, "exp", "", "explanation from " + name);
            return;
          }
          why = "the explanation text of " + name + " is not valid: " + text.error.message;
        }
      }
      step(0, domain, "exp", "", "exp= ignored (" + why + "): the default explanation is used");
    }
    // Text without '%' expands to itself (and is used as written when it is not valid).
    if (options_.default_explanation.find('%') == std::string::npos) {
      out_.explanation = options_.default_explanation;
      return;
    }
    ParsedMacro fallback =
        parse_macro_string(options_.default_explanation, MacroContext::explanation);
    out_.explanation =
        fallback ? expand_in(*fallback.value, domain, 0) : options_.default_explanation;
  }

  const DnsView& dns_;
  ip::Address ip_;
  bool ipv6_ = false;
  const CheckOptions& options_;
  CheckResult& out_;
  MacroValues values_;
  unsigned lookups_ = 0;
  unsigned voids_ = 0;
  std::optional<Validated> validated_;
  SenderParts sender_;
  std::string_view helo_;
  bool client_values_ = false;   ///< values_ c, i, v, r, t are filled
  bool message_values_ = false;  ///< values_ s, l, o, h are filled (most records use none)
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
