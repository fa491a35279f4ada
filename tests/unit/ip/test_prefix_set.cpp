#include <catch2/catch.hpp>

#include <bitset>
#include <random>
#include <string>
#include <vector>

#include "ip/prefix_set.hpp"

using namespace relaycheck::ip;

namespace {

Prefix P(std::string_view text) {
  auto parsed = parse_prefix(text);
  INFO(std::string(text) << ": " << parsed.error);
  REQUIRE(parsed);
  return *parsed.value;
}

Address A(std::string_view text) {
  auto parsed = parse_address(text);
  INFO(std::string(text) << ": " << parsed.error);
  REQUIRE(parsed);
  return *parsed.value;
}

std::vector<std::string> texts(const std::vector<Prefix>& prefixes) {
  std::vector<std::string> out;
  for (const auto& p : prefixes) out.push_back(to_string(p));
  return out;
}

PrefixSet set_of(std::initializer_list<std::string_view> list) {
  std::vector<Prefix> prefixes;
  for (auto t : list) prefixes.push_back(P(t));
  return PrefixSet(prefixes);
}

/// A universe of 256 addresses (one /24 or one /120) in which sets are modelled as bitsets.
struct Universe {
  Address base;
  unsigned base_length;
  Address at(unsigned i) const {
    Address a = base;
    a.lo |= i;
    return a;
  }
};

using Bits = std::bitset<256>;

Bits model(const Universe& u, const std::vector<Prefix>& prefixes) {
  Bits bits;
  for (unsigned i = 0; i < 256; ++i) {
    for (const auto& p : prefixes) {
      if (contains(p, u.at(i))) bits.set(i);
    }
  }
  return bits;
}

Bits model(const Universe& u, const PrefixSet& set) {
  Bits bits;
  for (unsigned i = 0; i < 256; ++i) bits[i] = set.contains(u.at(i));
  return bits;
}

/// The fewest CIDR blocks covering `bits`: a block is a node of the binary trie, so the answer is
/// 1 for a full node, 0 for an empty one, else the sum over both halves.
std::size_t minimal_blocks(const Bits& bits, unsigned from = 0, unsigned size = 256) {
  bool all = true;
  bool none = true;
  for (unsigned i = from; i < from + size; ++i) {
    all = all && bits[i];
    none = none && !bits[i];
  }
  if (all) return 1;
  if (none) return 0;
  return minimal_blocks(bits, from, size / 2) + minimal_blocks(bits, from + size / 2, size / 2);
}

/// A random number below `n`.
unsigned below(std::mt19937& rng, unsigned n) { return static_cast<unsigned>(rng() % n); }

std::vector<Prefix> random_list(std::mt19937& rng, const Universe& u, bool allow_wide) {
  std::vector<Prefix> out;
  const unsigned count = below(rng, 12);
  const unsigned max = max_length(u.base.family);
  for (unsigned n = 0; n < count; ++n) {
    unsigned length = u.base_length + below(rng, max - u.base_length + 1);
    if (allow_wide && below(rng, 40) == 0) length = below(rng, u.base_length + 1);
    out.push_back(*make_prefix(u.at(below(rng, 256)), length));
  }
  return out;
}

}  // namespace

TEST_CASE("aggregation merges overlapping, nested and adjacent prefixes", "[prefix-set]") {
  CHECK(texts(set_of({"10.0.0.0/25", "10.0.0.128/25"}).prefixes()) ==
        std::vector<std::string>{"10.0.0.0/24"});
  CHECK(texts(set_of({"10.0.0.0/8", "10.1.0.0/16", "10.255.255.255"}).prefixes()) ==
        std::vector<std::string>{"10.0.0.0/8"});
  CHECK(texts(set_of({"10.0.0.0/24", "10.0.0.0/24"}).prefixes()) ==
        std::vector<std::string>{"10.0.0.0/24"});
  CHECK(texts(set_of({"2001:db8::/33", "2001:db8:8000::/33", "10.0.0.0/8"}).prefixes()) ==
        std::vector<std::string>{"10.0.0.0/8", "2001:db8::/32"});
  CHECK(set_of({}).prefixes().empty());
}

TEST_CASE("a contiguous run that is not aligned needs several blocks", "[prefix-set]") {
  // 10.0.0.1 - 10.0.0.6
  CHECK(texts(set_of({"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"})
                  .prefixes()) ==
        std::vector<std::string>{"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"});
  // Two /24 that touch but do not form a /23.
  CHECK(texts(set_of({"10.0.1.0/24", "10.0.2.0/24"}).prefixes()) ==
        std::vector<std::string>{"10.0.1.0/24", "10.0.2.0/24"});
}

TEST_CASE("the ends of the address space need no extra bit", "[prefix-set]") {
  CHECK(texts(set_of({"0.0.0.0/1", "128.0.0.0/1"}).prefixes()) ==
        std::vector<std::string>{"0.0.0.0/0"});
  CHECK(texts(set_of({"255.255.255.255", "255.255.255.254"}).prefixes()) ==
        std::vector<std::string>{"255.255.255.254/31"});
  CHECK(texts(set_of({"::/1", "8000::/1"}).prefixes()) == std::vector<std::string>{"::/0"});
  CHECK(texts(set_of({"::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}).prefixes()) ==
        std::vector<std::string>{"::/0"});
  CHECK(set_of({"::/0"}).address_count(Family::v6) == "340282366920938463463374607431768211456");
  CHECK(set_of({"0.0.0.0/0"}).address_count(Family::v4) == "4294967296");
  CHECK(set_of({"0.0.0.0/0"}).address_count(Family::v6) == "0");
  CHECK(set_of({"10.0.0.0/24", "10.0.1.0/25"}).address_count(Family::v4) == "384");
  CHECK(address_count(P("::/0")) == "340282366920938463463374607431768211456");
  CHECK(address_count(P("10.0.0.0/8")) == "16777216");
  CHECK(address_count(P("1.2.3.4")) == "1");
  CHECK(texts(subtract(set_of({"0.0.0.0/0"}), set_of({"0.0.0.0/1"})).prefixes()) ==
        std::vector<std::string>{"128.0.0.0/1"});
  CHECK(texts(subtract(set_of({"::/0"}), set_of({"::1"})).prefixes()).size() == 128);
}

TEST_CASE("the families stay apart, IPv4-mapped addresses included", "[prefix-set]") {
  const PrefixSet v4 = set_of({"10.0.0.0/8"});
  CHECK(v4.contains(A("10.1.2.3")));
  CHECK_FALSE(v4.contains(A("::ffff:10.1.2.3")));
  const PrefixSet mapped = set_of({"::ffff:10.0.0.0/104"});
  CHECK(mapped.contains(A("::ffff:10.1.2.3")));
  CHECK_FALSE(mapped.contains(A("10.1.2.3")));
  CHECK(intersect(v4, mapped).empty());
  CHECK(texts(unite(v4, mapped).prefixes()) ==
        std::vector<std::string>{"10.0.0.0/8", "::ffff:10.0.0.0/104"});
}

TEST_CASE("containment of addresses and prefixes uses the merged ranges", "[prefix-set]") {
  const PrefixSet set = set_of({"10.0.0.0/25", "10.0.0.128/25", "192.0.2.0/24", "2001:db8::/32"});
  CHECK(set.contains(P("10.0.0.0/24")));
  CHECK_FALSE(set.contains(P("10.0.0.0/23")));
  CHECK(set.contains(P("192.0.2.128/25")));
  CHECK_FALSE(set.contains(P("192.0.0.0/16")));
  CHECK(set.contains(A("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
  CHECK_FALSE(set.contains(A("2001:db9::")));
  CHECK_FALSE(set.contains(A("9.255.255.255")));
  CHECK_FALSE(PrefixSet().contains(A("1.2.3.4")));
  CHECK(set.contains(set_of({"10.0.0.64/26", "2001:db8:1::/48"})));
  CHECK_FALSE(set.contains(set_of({"10.0.0.64/26", "2001:db9::/48"})));
  CHECK(set.contains(PrefixSet()));
}

TEST_CASE("octet-aligned expansion splits what Sendmail cannot express", "[prefix-set]") {
  CHECK(texts(set_of({"204.141.42.0/23"}).aligned_prefixes()) ==
        std::vector<std::string>{"204.141.42.0/24", "204.141.43.0/24"});
  CHECK(texts(set_of({"10.0.0.0/8", "163.53.94.0/27"}).aligned_prefixes()) ==
        std::vector<std::string>{
            "10.0.0.0/8",      "163.53.94.0/32",  "163.53.94.1/32",  "163.53.94.2/32",
            "163.53.94.3/32",  "163.53.94.4/32",  "163.53.94.5/32",  "163.53.94.6/32",
            "163.53.94.7/32",  "163.53.94.8/32",  "163.53.94.9/32",  "163.53.94.10/32",
            "163.53.94.11/32", "163.53.94.12/32", "163.53.94.13/32", "163.53.94.14/32",
            "163.53.94.15/32", "163.53.94.16/32", "163.53.94.17/32", "163.53.94.18/32",
            "163.53.94.19/32", "163.53.94.20/32", "163.53.94.21/32", "163.53.94.22/32",
            "163.53.94.23/32", "163.53.94.24/32", "163.53.94.25/32", "163.53.94.26/32",
            "163.53.94.27/32", "163.53.94.28/32", "163.53.94.29/32", "163.53.94.30/32",
            "163.53.94.31/32"});
  CHECK(set_of({"0.0.0.0/0"}).aligned_prefixes().size() == 256);
  CHECK(texts(set_of({"2001:db8::/31"}).aligned_prefixes()) ==
        std::vector<std::string>{"2001:db8::/32", "2001:db9::/32"});
}

TEST_CASE("set operations, aggregation and minimality agree with a bitset model", "[prefix-set]") {
  const std::vector<Universe> universes{
      {A("10.1.2.0"), 24},
      {A("0.0.0.0"), 24},
      {A("255.255.255.0"), 24},
      {A("2001:db8::"), 120},
      {A("::"), 120},
      {A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00"), 120},
      {A("::ffff:192.0.2.0"), 120},
  };
  std::mt19937 rng(20240611);
  for (int round = 0; round < 3000; ++round) {
    const Universe& u = universes[static_cast<std::size_t>(round) % universes.size()];
    const bool wide = round % 5 == 0;
    const auto ra = random_list(rng, u, wide);
    const auto rb = random_list(rng, u, wide);
    const PrefixSet a(ra);
    const PrefixSet b(rb);
    const Bits ma = model(u, ra);
    const Bits mb = model(u, rb);
    INFO("round " << round);
    REQUIRE(model(u, a) == ma);
    CHECK(model(u, unite(a, b)) == (ma | mb));
    CHECK(model(u, intersect(a, b)) == (ma & mb));
    CHECK(model(u, subtract(a, b)) == (ma & ~mb));
    // missing(r, a) ∪ (r ∩ a) == r, and the two parts are disjoint.
    CHECK(unite(subtract(a, b), intersect(a, b)) == a);
    CHECK(intersect(subtract(a, b), intersect(a, b)).empty());
    // aggregate(aggregate(x)) == aggregate(x), and the aggregate covers exactly x.
    const auto agg = a.prefixes();
    CHECK(PrefixSet(agg) == a);
    CHECK(PrefixSet(agg).prefixes() == agg);
    CHECK(model(u, agg) == ma);
    for (std::size_t i = 1; i < agg.size(); ++i) {
      CHECK(agg[i - 1] < agg[i]);
      CHECK_FALSE(contains(agg[i - 1], agg[i]));
    }
    // Minimal: as few blocks as the trie allows (only when the set stays inside the universe).
    if (!wide) {
      CHECK(agg.size() == minimal_blocks(ma));
      CHECK(a.address_count(u.base.family) == std::to_string(ma.count()));
    }
    // Octet/group alignment covers the same addresses in aligned blocks.
    const auto aligned = a.aligned_prefixes();
    CHECK(PrefixSet(aligned) == a);
    for (const auto& p : aligned) {
      const unsigned step = p.family == Family::v4 ? 8 : 16;
      CHECK(p.length % step == 0);
      CHECK(p.length >= step);
    }
    // Containment of an address and of a prefix.
    for (unsigned i = 0; i < 256; i += 17) CHECK(a.contains(u.at(i)) == ma[i]);
    const Prefix probe = *make_prefix(u.at(below(rng, 256)), u.base_length + below(rng, 9));
    bool all = true;
    for (unsigned i = 0; i < 256; ++i) all = all && (!contains(probe, u.at(i)) || ma[i]);
    CHECK(a.contains(probe) == all);
    if (!wide) CHECK((a == b) == (ma == mb));
  }
}

TEST_CASE("lists read one entry a line with comments, blanks and CRLF", "[prefix-set]") {
  auto list =
      parse_list("# CRM ranges\n\n10.0.0.0/8\r\n  192.0.2.1   # the office\n\t2001:db8::/32\n#end");
  REQUIRE_FALSE(list.error);
  CHECK(texts(list.prefixes) ==
        std::vector<std::string>{"10.0.0.0/8", "192.0.2.1/32", "2001:db8::/32"});
  CHECK(parse_list("").prefixes.empty());
  CHECK_FALSE(parse_list("\n\n# nothing\n").error);
}

TEST_CASE("a bad line names its number, its text and the reason", "[prefix-set]") {
  auto list = parse_list("10.0.0.0/8\n\n# x\n  10.0.0.1/24  # typo\n192.0.2.0/24\n");
  REQUIRE(list.error);
  CHECK(list.error->line == 4);
  CHECK(list.error->text == "10.0.0.1/24");
  CHECK(list.error->reason ==
        "has host bits set after the first 24 bits: the network is 10.0.0.0/24");
  CHECK(list.prefixes.empty());
  CHECK_FALSE(parse_list("10.0.0.1/24", HostBits::mask).error);
  auto spaced = parse_list("1.2.3.4 /24");
  REQUIRE(spaced.error);
  CHECK(spaced.error->reason == "contains a space");
  auto nbsp = parse_list("\xE2\x80\xA2 204.141.42.0/23\xC2\xA0");
  REQUIRE(nbsp.error);
  CHECK(nbsp.error->line == 1);
  CHECK(nbsp.error->reason.find("U+2022") != std::string::npos);
}

TEST_CASE("a list can be read straight into a set", "[prefix-set]") {
  PrefixSet::Builder builder;
  CHECK_FALSE(parse_list_into("10.0.0.0/25\n10.0.0.128/25\n", HostBits::reject, builder));
  CHECK(texts(builder.build().prefixes()) == std::vector<std::string>{"10.0.0.0/24"});
  PrefixSet::Builder bad;
  auto error = parse_list_into("10.0.0.0/25\nfoo\n", HostBits::reject, bad);
  REQUIRE(error);
  CHECK(error->line == 2);
}

TEST_CASE("long lists sort as short ones do, spread out, clustered or all alike", "[prefix-set]") {
  // Sets of more than a few thousand prefixes are sorted with a radix pass first; sets built
  // from short chunks and united take std::sort and a merge. Both must give the same set.
  std::mt19937_64 rng(42);
  const auto random_prefix = [&](int kind) {
    const bool v4 = rng() % 2 == 0;
    const unsigned max = v4 ? 32 : 128;
    const auto length = static_cast<unsigned>(kind == 2 ? max : rng() % (max + 1));
    Address a = v4 ? Address::v4(static_cast<std::uint32_t>(rng())) : Address::v6(rng(), rng());
    if (kind == 1) {  // clustered: everything in 10.1.0.0/16 or 2001:db8::/96
      a = v4 ? Address::v4(0x0A010000u | static_cast<std::uint32_t>(rng() & 0xFFFFu))
             : Address::v6(0x20010DB800000000ull, rng() & 0xFFFFFFFFull);
    }
    if (kind == 2)
      a = v4 ? Address::v4(0x0A000001u) : Address::v6(0x20010DB800000000ull, 1);  // all alike
    return *make_prefix(a, kind == 1 ? std::max(length, v4 ? 16u : 96u) : length);
  };
  for (int kind = 0; kind < 3; ++kind) {
    std::vector<Prefix> all;
    PrefixSet chunked;
    for (int chunk = 0; chunk < 20; ++chunk) {
      std::vector<Prefix> part;
      for (int i = 0; i < 1000; ++i) part.push_back(random_prefix(kind));
      chunked = unite(chunked, PrefixSet(part));
      all.insert(all.end(), part.begin(), part.end());
    }
    INFO("kind " << kind);
    const PrefixSet whole(all);
    CHECK(whole == chunked);
    CHECK(whole.prefixes() == chunked.prefixes());
  }
}
