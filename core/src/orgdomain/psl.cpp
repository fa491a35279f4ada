#include "orgdomain/psl.hpp"

#include <array>
#include <cstring>
#include <vector>

#include "orgdomain/name_forms.hpp"
#include "orgdomain/psl_table.hpp"

namespace relaycheck::orgdomain {
namespace {

// The table format (core/tools/psl_table.py): keys sorted bytewise; a byte >= 0x80 starts each
// entry: 0xFF a whole key (a restart), 0x80 + n a key that shares n bytes with the one before.
constexpr unsigned char kRestart = 0xFF;
constexpr unsigned char kMarker = 0x80;
constexpr std::size_t kMaxKey = 300;  // the generator refuses rules longer than a domain name

bool is_marker(char c) { return static_cast<unsigned char>(c) >= kMarker; }

/// The end of the key bytes that start at `from`: the next marker or the table's end.
std::size_t key_end(std::string_view table, std::size_t from) {
  while (from < table.size() && !is_marker(table[from])) ++from;
  return from;
}

/// An entry of a table and its key, decoded in a fixed buffer (no allocation).
class Cursor {
 public:
  explicit Cursor(std::string_view table) : table_(table) {}

  bool valid() const { return valid_; }
  std::string_view key() const { return {key_.data(), length_}; }

  /// Moves onto the restart entry at `pos` (table[pos] is 0xFF).
  void seek_restart(std::size_t pos) {
    length_ = 0;
    read(pos);
  }

  void next() {
    if (valid_) read(end_);
  }

 private:
  void read(std::size_t pos) {
    valid_ = false;
    if (pos >= table_.size()) return;
    const auto marker = static_cast<unsigned char>(table_[pos]);
    const std::size_t shared = marker == kRestart ? 0 : static_cast<std::size_t>(marker - kMarker);
    if (shared > length_) return;  // not a table the generator wrote: treat as the end
    const std::size_t end = key_end(table_, pos + 1);
    const std::size_t rest = end - pos - 1;
    if (shared + rest > kMaxKey) return;
    std::memcpy(key_.data() + shared, table_.data() + pos + 1, rest);
    length_ = shared + rest;
    end_ = end;
    valid_ = true;
  }

  std::string_view table_;
  std::array<char, kMaxKey> key_{};
  std::size_t length_ = 0;
  std::size_t end_ = 0;
  bool valid_ = false;
};

/// The first entry whose key is not less than `target` (invalid when there is none): a binary
/// search over the restarts' byte positions, then at most one block decoded.
Cursor lower_bound(std::string_view table, std::string_view target) {
  Cursor cursor(table);
  if (table.empty() || static_cast<unsigned char>(table[0]) != kRestart) return cursor;
  // Invariant: the restart at `lo` has a key <= target (or lo is the first); no restart in
  // [hi, end) has one, unless hi is the end.
  std::size_t lo = 0;
  std::size_t hi = table.size();
  while (hi - lo > 1) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const void* found = std::memchr(table.data() + mid, kRestart, hi - mid);
    if (found == nullptr) {
      hi = mid;
      continue;
    }
    const auto restart = static_cast<std::size_t>(static_cast<const char*>(found) - table.data());
    const std::string_view key =
        table.substr(restart + 1, key_end(table, restart + 1) - restart - 1);
    if (key <= target) {
      lo = restart;
    } else {
      hi = restart;
    }
  }
  cursor.seek_restart(lo);
  while (cursor.valid() && cursor.key() < target) cursor.next();
  return cursor;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

enum class Kind : std::uint8_t { normal, wildcard, exception };

struct Match {
  std::size_t labels = 0;  ///< how many of the name's labels the rule matches
  Kind kind = Kind::normal;
  Section section = Section::implicit_rule;
};

/// Keeps the match that prevails among those of one kind: more labels, then ICANN before private.
void keep(std::optional<Match>& best, const Match& candidate) {
  if (!best || candidate.labels > best->labels) best = candidate;
}

}  // namespace

std::string_view to_string(Section section) {
  switch (section) {
    case Section::implicit_rule:
      return "default";
    case Section::icann:
      return "icann";
    case Section::private_domains:
      return "private";
  }
  return "default";
}

Checked<PslAnswer> psl_lookup(std::string_view name, Sections sections) {
  auto split = split_name(name);
  if (!split) return {std::nullopt, split.error};
  const NameForms& labels = *split.value;
  const std::size_t n = labels.size();

  struct Table {
    std::string_view data;
    Section section;
  };
  const std::array<Table, 2> tables{Table{psl_data::kIcann, Section::icann},
                                    Table{psl_data::kPrivate, Section::private_domains}};
  const std::size_t table_count = sections == Sections::all ? 2 : 1;

  std::optional<Match> best_rule;       // normal and wildcard rules
  std::optional<Match> best_exception;  // exception rules
  std::string reversed;                 // the last k labels, right to left: "cn.xn--55qx5d"
  for (std::size_t k = 1; k <= n; ++k) {
    if (k > 1) reversed += '.';
    reversed += labels.ascii[n - k];
    const std::string exception_key = reversed + "!";
    const std::string below = reversed + ".";
    const std::string wildcard_key = reversed + ".*";
    bool deeper = false;  // does any rule have more labels under these?
    for (std::size_t t = 0; t < table_count; ++t) {
      Cursor at = lower_bound(tables[t].data, reversed);
      if (at.valid() && at.key() == reversed) {
        keep(best_rule, Match{k, Kind::normal, tables[t].section});
        at.next();
      }
      if (at.valid() && at.key() == exception_key) {
        keep(best_exception, Match{k, Kind::exception, tables[t].section});
      }
      const Cursor under = lower_bound(tables[t].data, below);
      if (under.valid() && starts_with(under.key(), below)) {
        deeper = true;
        // `*` sorts before every label character, so a wildcard is the first key under these.
        if (under.key() == wildcard_key && k < n) {
          keep(best_rule, Match{k + 1, Kind::wildcard, tables[t].section});
        }
      }
    }
    if (!deeper) break;
  }

  PslAnswer out;
  out.name = labels.given_suffix(n);
  out.name_ascii = labels.ascii_suffix(n);
  if (best_exception) {
    out.suffix_labels = best_exception->labels - 1;
    out.section = best_exception->section;
    out.rule = "!" + labels.ascii_suffix(best_exception->labels);
  } else if (best_rule) {
    out.suffix_labels = best_rule->labels;
    out.section = best_rule->section;
    out.rule = best_rule->kind == Kind::wildcard ? "*." + labels.ascii_suffix(best_rule->labels - 1)
                                                 : labels.ascii_suffix(best_rule->labels);
  } else {
    out.suffix_labels = 1;
    out.section = Section::implicit_rule;
    out.rule = "*";
  }
  out.public_suffix = labels.given_suffix(out.suffix_labels);
  out.public_suffix_ascii = labels.ascii_suffix(out.suffix_labels);
  if (n > out.suffix_labels) {
    out.organizational_domain = labels.given_suffix(out.suffix_labels + 1);
    out.organizational_domain_ascii = labels.ascii_suffix(out.suffix_labels + 1);
  }
  return {std::move(out), {}};
}

std::optional<std::string> organizational_domain(std::string_view name, Sections sections) {
  auto answer = psl_lookup(name, sections);
  if (!answer) return std::nullopt;
  return std::move(answer.value->organizational_domain);
}

bool is_public_suffix(std::string_view name, Sections sections) {
  auto answer = psl_lookup(name, sections);
  return answer && answer.value->is_public_suffix();
}

std::string_view psl_list_sha256() { return psl_data::kListSha256; }

}  // namespace relaycheck::orgdomain
