// SPF over address ranges (spf/ranges.hpp): check_host() of spf/check.cpp walked once per family
// with sets of addresses instead of one address. The walk follows check.cpp step by step (the
// same queries in the same order, the same codes), so that the differential test
// (tests/unit/spf/test_spf_ranges.cpp) can hold it to check_host() address by address.
//
//   Group   addresses that reached a term with the same (lookups, void lookups) counts;
//   Piece   addresses a record evaluation gave a result that its caller still reads (pass,
//           fail, softfail, neutral, none), with their counts: an include goes on with them;
//   final   temperror and permerror end the whole check wherever they arise (§5.2), so they go
//           straight into the partition, and so do undecided addresses.
#include "spf/ranges.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace relaycheck::spf {
namespace {

struct Group {
  ip::PrefixSet set;
  unsigned lookups = 0;
  unsigned voids = 0;
};

struct Piece {
  ip::PrefixSet set;
  Result result = Result::neutral;
  std::string code;
  unsigned lookups = 0;
  unsigned voids = 0;
  bool unknown = false;  ///< none because the view did not know the TXT records
};

using Groups = std::vector<Group>;
using Pieces = std::vector<Piece>;

/// What a term's own query leaves it to do: match `match`, and for the rest of the addresses
/// nothing (no match), a void lookup, or an error.
struct Effect {
  enum class Rest { no_match, void_lookup, error };
  ip::PrefixSet match;
  Rest rest = Rest::no_match;
  Result error = Result::temperror;
  std::string code;
};

Effect error_effect(Result result, const char* code) {
  Effect e;
  e.rest = Effect::Rest::error;
  e.error = result;
  e.code = code;
  return e;
}

/// The domain and depth of the record being walked.
struct Frame {
  std::string_view domain;
  unsigned depth = 0;
};

std::string_view without_dot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return name;
}

/// True when a domain-spec expands to a name that depends on the client address (§7.3): %{i},
/// %{c} (not allowed in a domain-spec, checked anyway) and %{p}.
bool depends_on_address(const std::optional<MacroString>& spec) {
  return spec && (spec->uses('i') || spec->uses('c') || spec->uses('p'));
}

bool is_network(const Directive& d) {
  return d.mechanism == Mechanism::ip4 || d.mechanism == Mechanism::ip6;
}

/// Every address of the family that is evaluated as that family: IPv6 without ::ffff:0:0/96,
/// which check_host() evaluates as IPv4 (§5).
ip::PrefixSet universe(ip::Family family) {
  if (family == ip::Family::v4) return ip::PrefixSet({ip::Prefix{0, 0, ip::Family::v4, 0}});
  const ip::Prefix mapped{0, 0xffff00000000ull, ip::Family::v6, 96};
  return subtract(ip::PrefixSet({ip::Prefix{0, 0, ip::Family::v6, 0}}), ip::PrefixSet({mapped}));
}

/// The IPv4 addresses of `set` written as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d).
ip::PrefixSet mapped(const ip::PrefixSet& set) {
  std::vector<ip::Prefix> out;
  for (const ip::Prefix& p : set.prefixes()) {
    if (p.family != ip::Family::v4) continue;
    out.push_back(ip::Prefix{0, 0xffff00000000ull | p.lo, ip::Family::v6,
                             static_cast<std::uint8_t>(96 + p.length)});
  }
  return ip::PrefixSet(out);
}

// ---------------------------------------------------------------------------------------------
// Walker: one family's walk
// ---------------------------------------------------------------------------------------------

class Walker {
 public:
  Walker(const DnsView& dns, ip::Family family, std::string_view sender, std::string_view helo,
         RecordCache& cache, Partition& out, std::size_t& steps)
      : dns_(dns),
        family_(family),
        universe_(universe(family)),
        cache_(cache),
        out_(out),
        steps_(steps) {
    const ip::Address any = family == ip::Family::v4 ? ip::Address::v4(0) : ip::Address::v6(0, 0);
    values_ = message_macros(any, sender, helo, CheckOptions{});
  }

  /// The finals of the walk: (set, result, code), not yet merged.
  std::vector<RangeResult> run(std::string_view domain) {
    Groups start;
    start.push_back(Group{universe_, 0, 0});
    for (Piece& p : check(domain, 0, std::move(start))) {
      final(std::move(p.set), p.result, std::move(p.code));
    }
    return std::move(finals_);
  }

 private:
  // ---- results ------------------------------------------------------------------------------
  void final(ip::PrefixSet set, Result result, std::string code) {
    if (!set.empty()) finals_.push_back(RangeResult{std::move(set), result, std::move(code)});
  }

  void final_all(Groups& groups, Result result, const std::string& code) {
    for (Group& g : groups) final(std::move(g.set), result, code);
    groups.clear();
  }

  /// The addresses of `groups` need a check_host() each: `term` of `f` depends on the address.
  void undecide(Groups& groups, const std::string& term, const Frame& f, bool budget = false) {
    for (Group& g : groups) {
      if (g.set.empty()) continue;
      if (out_.approximate_term.empty()) {
        out_.approximate_term = term;
        out_.approximate_domain = std::string(f.domain);
        out_.over_budget = budget;
      }
      out_.undecided = unite(out_.undecided, g.set);
    }
    groups.clear();
  }

  /// Counts a term; false (with the groups undecided) when the step budget is spent.
  bool step(Groups& groups, const std::string& term, const Frame& f) {
    steps_ += groups.size();
    if (steps_ <= kRangeStepBudget) return true;
    undecide(groups, term, f, true);
    return false;
  }

  // ---- DNS ----------------------------------------------------------------------------------
  const DnsAnswer& ask(std::string_view name, RrType type) {
    const DnsAnswer& answer = dns_.query(name, type);
    if (answer.status == DnsStatus::unknown) add_needed(out_.needed, name, type);
    return answer;
  }

  std::string target_of(const std::optional<MacroString>& spec, const Frame& f) {
    if (!spec) return std::string(f.domain);
    values_.d.assign(f.domain.data(), f.domain.size());
    return target_name(expand(*spec, values_));
  }

  // ---- counts -------------------------------------------------------------------------------
  /// A term that costs a lookup: past kLookupLimit, permerror for that group (§4.6.4).
  void count_lookup(Groups& groups) {
    for (Group& g : groups) {
      if (++g.lookups > kLookupLimit)
        final(std::move(g.set), Result::permerror, "spf.limit.lookups");
    }
    drop_empty(groups);
  }

  static void drop_empty(Groups& groups) {
    groups.erase(
        std::remove_if(groups.begin(), groups.end(), [](const Group& g) { return g.set.empty(); }),
        groups.end());
  }

  /// Groups with the same counts joined: at most (kLookupLimit + 1) × (kVoidLimit + 1) remain.
  static void merge(Groups& groups) {
    drop_empty(groups);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      for (std::size_t j = groups.size(); j-- > i + 1;) {
        if (groups[j].lookups != groups[i].lookups || groups[j].voids != groups[i].voids) continue;
        groups[i].set = unite(groups[i].set, groups[j].set);
        groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(j));
      }
    }
  }

  /// Applies a term's effect: the matched part gets the qualifier's result, the rest goes on
  /// (after a void lookup, which may pass kVoidLimit) or ends in the error.
  void apply(const Effect& e, Qualifier qualifier, Groups& groups, Pieces& pieces) {
    for (Group& g : groups) {
      if (!e.match.empty()) {
        ip::PrefixSet hit = intersect(g.set, e.match);
        if (!hit.empty()) {
          g.set = subtract(g.set, e.match);
          pieces.push_back(Piece{std::move(hit), result_of(qualifier), {}, g.lookups, g.voids});
        }
      }
      if (g.set.empty()) continue;
      if (e.rest == Effect::Rest::error) {
        final(std::move(g.set), e.error, e.code);
      } else if (e.rest == Effect::Rest::void_lookup && ++g.voids > kVoidLimit) {
        final(std::move(g.set), Result::permerror, "spf.limit.void");
      }
    }
    merge(groups);
  }

  // ---- records ------------------------------------------------------------------------------
  /// check_host() of one domain (§4) for the groups: its record, or none, temperror or permerror.
  Pieces check(std::string_view domain, unsigned depth, Groups groups) {
    Pieces pieces;
    if (!is_checkable_domain(domain)) return all_none(groups, "spf.none.malformed_domain", false);
    const DnsAnswer& answer = ask(domain, RrType::txt);
    if (answer.status == DnsStatus::temp_error) {
      final_all(groups, Result::temperror, "spf.dns.temperror");
      return pieces;
    }
    // The record read in place when it is one string (the cache knows it by its address).
    std::size_t records = 0;
    std::string_view text;
    std::string joined;
    for (const auto& txt : answer.txt) {
      if (txt.size() == 1) {
        if (is_spf_record(txt.front()) && ++records == 1) text = txt.front();
        continue;
      }
      std::string all = join_strings(txt);
      if (is_spf_record(all) && ++records == 1) {
        joined = std::move(all);
        text = joined;
      }
    }
    if (records > 1) {
      final_all(groups, Result::permerror, "spf.record.multiple");
      return pieces;
    }
    if (records == 0) {
      const bool unknown = answer.status == DnsStatus::unknown;
      return all_none(groups, unknown ? "spf.none.unknown" : "spf.none.no_record", unknown);
    }
    const ParsedRecord& parsed = cache_.parse(text);
    if (!parsed) {
      final_all(groups, Result::permerror, parsed.error.code);
      return pieces;
    }
    return evaluate(*parsed.record, Frame{domain, depth}, std::move(groups));
  }

  static Pieces all_none(Groups& groups, const char* code, bool unknown) {
    Pieces pieces;
    for (Group& g : groups) {
      pieces.push_back(Piece{std::move(g.set), Result::none, code, g.lookups, g.voids, unknown});
    }
    return pieces;
  }

  /// The directives in order until every address matched (§4.6.2), then redirect or neutral.
  Pieces evaluate(const Record& record, const Frame& f, Groups groups) {
    Pieces pieces;
    const auto& ds = record.directives;
    for (std::size_t k = 0; k < ds.size() && !groups.empty();) {
      const Directive& d = ds[k];
      if (!step(groups, d.text, f)) return pieces;
      if (is_network(d)) {
        k = networks(ds, k, groups, pieces);
        continue;
      }
      ++k;
      if (costs_lookup(d.mechanism)) count_lookup(groups);
      if (groups.empty()) break;
      if (d.mechanism == Mechanism::ptr || depends_on_address(d.domain)) {
        undecide(groups, d.text, f);
        break;
      }
      if (d.mechanism == Mechanism::include) {
        include(d, f, groups, pieces);
      } else {
        apply(effect_of(d, f), d.qualifier, groups, pieces);
      }
    }
    if (groups.empty()) return pieces;
    if (record.redirect && !record.has_all()) {
      for (Piece& p : redirect(record, f, std::move(groups))) pieces.push_back(std::move(p));
      return pieces;
    }
    for (Group& g : groups) {
      pieces.push_back(Piece{std::move(g.set), Result::neutral, {}, g.lookups, g.voids});
    }
    return pieces;
  }

  /// A run of ip4/ip6 directives with one qualifier from `k`: one set, one pass over the groups
  /// (they cost no lookup, so nothing else changes between them). Returns the next index.
  std::size_t networks(const std::vector<Directive>& ds, std::size_t k, Groups& groups,
                       Pieces& pieces) {
    const Qualifier qualifier = ds[k].qualifier;
    ip::PrefixSet::Builder builder;
    for (; k < ds.size() && is_network(ds[k]) && ds[k].qualifier == qualifier; ++k) {
      if (ds[k].network.family == family_) builder.add(ds[k].network);
    }
    Effect e;
    e.match = builder.build();
    apply(e, qualifier, groups, pieces);
    return k;
  }

  /// redirect= (§6.1): the target's result for the groups; a target without a record is
  /// permerror.
  Pieces redirect(const Record& record, const Frame& f, Groups groups) {
    count_lookup(groups);
    if (groups.empty()) return {};
    if (depends_on_address(record.redirect)) {
      undecide(groups, record.redirect_text, f);
      return {};
    }
    const std::string target = target_of(record.redirect, f);
    Pieces inner = check(target, f.depth + 1, std::move(groups));
    Pieces out;
    for (Piece& p : inner) {
      if (p.result == Result::none && !p.unknown) {
        final(std::move(p.set), Result::permerror, "spf.redirect.none");
      } else {
        out.push_back(std::move(p));
      }
    }
    return out;
  }

  /// include (§5.2): matches where the target's result is pass; fail, softfail and neutral go
  /// on with their counts; a target without a record is permerror (unless not fetched yet).
  void include(const Directive& d, const Frame& f, Groups& groups, Pieces& pieces) {
    const std::string target = target_of(d.domain, f);
    Pieces inner = check(target, f.depth + 1, std::move(groups));
    groups.clear();
    for (Piece& p : inner) {
      if (p.result == Result::pass) {
        pieces.push_back(
            Piece{std::move(p.set), result_of(d.qualifier), {}, p.lookups, p.voids, false});
      } else if (p.result == Result::none && !p.unknown) {
        final(std::move(p.set), Result::permerror, "spf.include.none");
      } else {
        groups.push_back(Group{std::move(p.set), p.lookups, p.voids});
      }
    }
    merge(groups);
  }

  // ---- mechanisms ---------------------------------------------------------------------------
  Effect effect_of(const Directive& d, const Frame& f) {
    switch (d.mechanism) {
      case Mechanism::all: {
        Effect e;
        e.match = universe_;
        return e;
      }
      case Mechanism::a:
        return mechanism_a(d, f);
      case Mechanism::mx:
        return mechanism_mx(d, f);
      case Mechanism::exists:
        return mechanism_exists(d, f);
      case Mechanism::ip4:
      case Mechanism::ip6:
      case Mechanism::ptr:
      case Mechanism::include:
        break;  // handled by evaluate()
    }
    return Effect{};
  }

  /// The query of a term on its own target (a, mx, exists): the answer when it has records,
  /// else null with what the term does in `e` (check.cpp's query_term and settle).
  const DnsAnswer* query_term(const Directive& d, const Frame& f, RrType type, Effect& e) {
    const std::string name = target_of(d.domain, f);
    if (!is_valid_query_name(name)) {
      e.rest = Effect::Rest::void_lookup;
      return nullptr;
    }
    const DnsAnswer& answer = ask(name, type);
    switch (answer.status) {
      case DnsStatus::records:
        return &answer;
      case DnsStatus::unknown:
        return nullptr;
      case DnsStatus::no_data:
      case DnsStatus::nxdomain:
        e.rest = Effect::Rest::void_lookup;
        return nullptr;
      case DnsStatus::temp_error:
        e = error_effect(Result::temperror, "spf.dns.temperror");
        return nullptr;
    }
    return nullptr;
  }

  RrType address_type() const { return family_ == ip::Family::v6 ? RrType::aaaa : RrType::a; }

  /// The addresses of the family in an answer, widened to the directive's cidr (§5.3).
  void add_addresses(const DnsAnswer& answer, const Directive& d, ip::PrefixSet::Builder& b) const {
    const unsigned length = family_ == ip::Family::v6 ? d.cidr6 : d.cidr4;
    for (const auto& address : answer.addresses) {
      if (address.family != family_) continue;
      if (const auto prefix = ip::make_prefix(address, length)) b.add(*prefix);
    }
  }

  Effect mechanism_a(const Directive& d, const Frame& f) {
    Effect e;
    const DnsAnswer* answer = query_term(d, f, address_type(), e);
    if (answer == nullptr) return e;
    ip::PrefixSet::Builder builder;
    add_addresses(*answer, d, builder);
    e.match = builder.build();
    return e;
  }

  /// mx (§5.4): the exchanges in order of preference; a DNS error on one gives temperror to the
  /// addresses that no earlier exchange matched.
  Effect mechanism_mx(const Directive& d, const Frame& f) {
    Effect e;
    const DnsAnswer* answer = query_term(d, f, RrType::mx, e);
    if (answer == nullptr) return e;
    if (answer->mx.size() > kMxLimit) return error_effect(Result::permerror, "spf.limit.mx");
    std::array<const MxRecord*, kMxLimit> order{};
    const std::size_t count = answer->mx.size();
    for (std::size_t k = 0; k < count; ++k) order[k] = &answer->mx[k];
    std::stable_sort(
        order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count),
        [](const MxRecord* x, const MxRecord* y) { return x->preference < y->preference; });
    ip::PrefixSet::Builder builder;
    for (std::size_t k = 0; k < count; ++k) {
      const std::string_view host = without_dot(order[k]->exchange);
      if (host.empty() || !is_valid_query_name(host)) continue;
      const DnsAnswer& addresses = ask(host, address_type());
      if (addresses.status == DnsStatus::temp_error) {
        e = error_effect(Result::temperror, "spf.dns.temperror");
        break;
      }
      add_addresses(addresses, d, builder);
    }
    e.match = builder.build();
    return e;
  }

  Effect mechanism_exists(const Directive& d, const Frame& f) {
    Effect e;
    if (query_term(d, f, RrType::a, e) != nullptr) e.match = universe_;  // always A (§5.7)
    return e;
  }

  const DnsView& dns_;
  ip::Family family_;
  ip::PrefixSet universe_;
  RecordCache& cache_;
  Partition& out_;
  std::size_t& steps_;
  MacroValues values_;
  std::vector<RangeResult> finals_;
};

/// Adds `set` with (result, code) to the parts, joining it with the part of the same result.
void add_part(std::vector<RangeResult>& parts, ip::PrefixSet set, Result result,
              const std::string& code) {
  if (set.empty()) return;
  for (RangeResult& part : parts) {
    if (part.result == result && part.code == code) {
      part.addresses = unite(part.addresses, set);
      return;
    }
  }
  parts.push_back(RangeResult{std::move(set), result, code});
}

}  // namespace

ip::PrefixSet Partition::pass() const {
  ip::PrefixSet out;
  for (const RangeResult& part : parts) {
    if (part.result == Result::pass) out = unite(out, part.addresses);
  }
  return out;
}

const RangeResult* Partition::find(const ip::Address& address) const {
  for (const RangeResult& part : parts) {
    if (part.addresses.contains(address)) return &part;
  }
  return nullptr;
}

Partition partition(const DnsView& dns, std::string_view domain, std::string_view sender,
                    std::string_view helo, RecordCache* cache) {
  Partition out;
  RecordCache own;
  RecordCache& records = cache != nullptr ? *cache : own;
  std::size_t steps = 0;
  for (const ip::Family family : {ip::Family::v4, ip::Family::v6}) {
    Walker walker(dns, family, sender, helo, records, out, steps);
    for (RangeResult& r : walker.run(domain)) {
      // IPv4-mapped addresses are evaluated as IPv4 (§5): they share the IPv4 results.
      if (family == ip::Family::v4) add_part(out.parts, mapped(r.addresses), r.result, r.code);
      add_part(out.parts, std::move(r.addresses), r.result, r.code);
    }
    if (family == ip::Family::v4) out.undecided = unite(out.undecided, mapped(out.undecided));
  }
  return out;
}

namespace {

/// The number of addresses in `set` when it is at most `limit`.
std::optional<std::size_t> small_count(const ip::PrefixSet& set, std::size_t limit) {
  std::size_t count = 0;
  for (const ip::Prefix& p : set.prefixes()) {
    const unsigned host_bits = ip::max_length(p.family) - p.length;
    if (host_bits >= 16 || (std::size_t{1} << host_bits) > limit - count) return std::nullopt;
    count += std::size_t{1} << host_bits;
  }
  return count;
}

/// check_host() for each address of `set` (a few hundred at most), joined by result into `split`.
bool check_each(const ip::PrefixSet& set, const CoverageQuery& query,
                std::vector<RangeResult>& split) {
  CheckOptions options;
  options.trace = false;
  options.details = false;
  options.cache = query.cache;
  bool complete = true;
  for (const ip::Prefix& p : set.prefixes()) {
    const std::uint64_t size = std::uint64_t{1} << (ip::max_length(p.family) - p.length);
    for (std::uint64_t k = 0; k < size; ++k) {
      const ip::Address address{p.hi, p.lo + k, p.family};  // host bits < 16: no carry
      const CheckResult r =
          check_host(*query.dns, address, query.domain, query.sender, query.helo, options);
      complete = complete && r.complete();
      add_part(
          split,
          ip::PrefixSet({ip::Prefix{address.hi, address.lo, address.family,
                                    static_cast<std::uint8_t>(ip::max_length(address.family))}}),
          r.result, r.code);
    }
  }
  return complete;
}

}  // namespace

std::vector<Coverage> coverage(const Partition& partition, const std::vector<ip::Prefix>& prefixes,
                               const CoverageQuery& query) {
  std::vector<Coverage> out;
  out.reserve(prefixes.size());
  for (const ip::Prefix& prefix : prefixes) {
    Coverage c;
    c.prefix = prefix;
    c.assumed = !partition.needed.empty();
    const ip::PrefixSet whole({prefix});
    for (const RangeResult& part : partition.parts) {
      add_part(c.split, intersect(whole, part.addresses), part.result, part.code);
    }
    ip::PrefixSet undecided = intersect(whole, partition.undecided);
    if (!undecided.empty() && query.dns != nullptr && small_count(undecided, kCoverageCheckLimit)) {
      c.assumed = !check_each(undecided, query, c.split) || c.assumed;
      undecided = ip::PrefixSet();
    }
    c.undecided = std::move(undecided);
    if (c.split.size() == 1 && c.undecided.empty()) c.uniform = c.split.front().result;
    out.push_back(std::move(c));
  }
  return out;
}

CoverageSummary summarize(const std::vector<Coverage>& coverages) {
  CoverageSummary s;
  s.total = coverages.size();
  ip::PrefixSet missing;
  std::vector<Result> results;
  bool undecided = false;
  for (const Coverage& c : coverages) {
    s.assumed = s.assumed || c.assumed;
    if (c.passes()) ++s.authorised;
    if (!c.undecided.empty()) {
      ++s.unknown;
      undecided = true;
      missing = unite(missing, c.undecided);
    }
    bool some_pass = false;
    for (const RangeResult& part : c.split) {
      if (part.result == Result::pass) {
        some_pass = true;
        continue;
      }
      missing = unite(missing, part.addresses);
      if (std::find(results.begin(), results.end(), part.result) == results.end()) {
        results.push_back(part.result);
      }
    }
    if (some_pass && !c.passes()) ++s.partial;
  }
  s.missing = missing.prefixes();
  if (results.size() == 1 && !undecided) s.missing_result = results.front();
  return s;
}

}  // namespace relaycheck::spf
