// SPF record syntax (RFC 7208 §4.5, §4.6, §5, §6, §7.1) and macro expansion (§7.3).
#include <algorithm>
#include <cstdio>

#include "spf/spf.hpp"
#include "text/ascii.hpp"

namespace relaycheck::spf {
namespace {

using text::iequals;
using text::is_alpha;
using text::is_digit;
using text::to_lower;

constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr bool is_visible(char c) { return c >= 0x21 && c <= 0x7e; }
constexpr bool is_delimiter(char c) {
  return c == '.' || c == '-' || c == '+' || c == ',' || c == '/' || c == '_' || c == '=';
}

std::string describe_byte(char c) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return std::string("a non-ASCII byte (") + hex + ")";
  if (c == ' ') return "a space";
  return std::string("a control character (") + hex + ")";
}

SyntaxError error(std::string code, std::string message) {
  return SyntaxError{std::move(code), std::move(message), {}, 0};
}

/// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
bool is_toplabel(std::string_view label) {
  if (label.empty()) return false;
  bool alpha = false;
  bool hyphen = false;
  for (char c : label) {
    if (c == '-') {
      hyphen = true;
    } else if (is_alpha(c)) {
      alpha = true;
    } else if (!is_digit(c)) {
      return false;
    }
  }
  if (hyphen) return is_alnum(label.front()) && is_alnum(label.back());
  return alpha;
}

/// Letters allowed in a context: c, r and t only in explanation text (§7.1). Unknown modifiers
/// are never expanded, so any letter of the grammar is accepted there.
bool letter_allowed(char letter, MacroContext context) {
  switch (letter) {
    case 's':
    case 'l':
    case 'o':
    case 'd':
    case 'i':
    case 'p':
    case 'v':
    case 'h':
      return true;
    case 'c':
    case 'r':
    case 't':
      return context != MacroContext::domain_spec;
    default:
      return false;
  }
}

/// Splits "domain-spec[/n][//n]" for `a` and `mx`: the cidr suffixes are taken from the end, so
/// that a domain-spec may itself contain "/" (e.g. `a:foo:bar/baz.example.com`).
struct DualCidr {
  std::string_view rest;
  std::string_view v4;
  std::string_view v6;
  bool has_v4 = false;
  bool has_v6 = false;
};

/// Strips a trailing "/DIGITS" from `s`; returns the digits.
bool strip_length(std::string_view& s, std::string_view& digits) {
  std::size_t i = s.size();
  while (i > 0 && is_digit(s[i - 1])) --i;
  if (i == s.size() || i == 0 || s[i - 1] != '/') return false;
  digits = s.substr(i);
  s = s.substr(0, i - 1);
  return true;
}

DualCidr split_dual_cidr(std::string_view s) {
  DualCidr out;
  std::string_view digits;
  std::string_view probe = s;
  if (strip_length(probe, digits) && !probe.empty() && probe.back() == '/') {
    out.v6 = digits;
    out.has_v6 = true;
    probe.remove_suffix(1);
    s = probe;
  }
  probe = s;
  if (strip_length(probe, digits)) {
    out.v4 = digits;
    out.has_v4 = true;
    s = probe;
  }
  out.rest = s;
  return out;
}

void url_escape(std::string_view in, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : in) {
    if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
}

/// Reads a macro-string left to right (§7.1): literal text, and the macro-expands "%{...}",
/// "%%", "%_" and "%-". Each step returns false once error_ is set.
class MacroParser {
 public:
  MacroParser(std::string_view text, MacroContext context) : text_(text), context_(context) {
    macro_.text = std::string(text);
  }

  ParsedMacro run() {
    ParsedMacro out;
    std::size_t i = 0;
    while (i < text_.size()) {
      if (!(text_[i] == '%' ? read_expand(i) : read_literal(i))) {
        out.error = std::move(error_);
        return out;
      }
    }
    flush();
    if (!domain_end_ok()) {
      out.error = std::move(error_);
      return out;
    }
    out.value = std::move(macro_);
    return out;
  }

 private:
  bool fail(const char* code, std::string message) {
    error_ = error(code, std::move(message));
    return false;
  }

  /// One character of literal text: printable ASCII, and spaces in explanation text.
  bool read_literal(std::size_t& i) {
    const char c = text_[i];
    if (!is_visible(c) && !(c == ' ' && context_ == MacroContext::explanation)) {
      return fail(
          context_ == MacroContext::explanation ? "spf.syntax.explanation" : "spf.syntax.character",
          "\"" + macro_.text + "\" contains " + describe_byte(c));
    }
    literal_ += c;
    ends_in_macro_ = false;
    ++i;
    return true;
  }

  /// The macro-expand at text_[i], a '%': "%%", "%_" and "%-" stand for literal text, "%{...}"
  /// for a macro.
  bool read_expand(std::size_t& i) {
    if (i + 1 >= text_.size()) {
      return fail("spf.syntax.macro",
                  "'%' at the end of \"" + macro_.text + "\"; write %% for a percent sign");
    }
    const char next = text_[i + 1];
    if (next == '%' || next == '_' || next == '-') {
      literal_ += next == '%' ? "%" : next == '_' ? " " : "%20";
      i += 2;
    } else if (next == '{') {
      const std::size_t close = text_.find('}', i + 2);
      if (close == std::string_view::npos) {
        return fail("spf.syntax.macro", "'%{' without '}' in \"" + macro_.text + "\"");
      }
      MacroPart part;
      if (!read_macro(text_.substr(i + 2, close - i - 2), text_.substr(i, close - i + 1), part)) {
        return false;
      }
      flush();
      macro_.parts.push_back(std::move(part));
      i = close + 1;
    } else {
      return fail("spf.syntax.macro", "'%" + std::string(1, next) + "' in \"" + macro_.text +
                                          "\": '%' must be followed by '{', '%', '_' or '-'");
    }
    ends_in_macro_ = true;
    literal_start_ = i;
    return true;
  }

  /// The body of "%{...}" (`written` is the whole of it): a letter allowed in the context, then
  /// the transformers (how many parts to keep, "r") and the delimiters.
  bool read_macro(std::string_view body, std::string_view written, MacroPart& part) {
    const std::string macro_text(written);
    if (body.empty()) return fail("spf.syntax.macro", "'" + macro_text + "' has no macro letter");
    part.letter = to_lower(body[0]);
    part.escape = body[0] >= 'A' && body[0] <= 'Z';
    if (!is_alpha(body[0]) || !letter_allowed(part.letter, context_)) {
      const bool exp_only = part.letter == 'c' || part.letter == 'r' || part.letter == 't';
      return fail(
          "spf.syntax.macro",
          "'" + macro_text + "': " +
              (exp_only
                   ? "the macro letters c, r and t are allowed only in explanation text"
                   : "unknown macro letter (s, l, o, d, i, p, v, h; c, r, t in explanations)"));
    }
    std::size_t j = 1;
    if (j < body.size() && is_digit(body[j])) {
      unsigned long value = 0;
      while (j < body.size() && is_digit(body[j])) {
        value = std::min(value * 10 + static_cast<unsigned long>(body[j] - '0'), 1000ul);
        ++j;
      }
      if (value == 0) {
        return fail("spf.syntax.macro",
                    "'" + macro_text + "': the number of parts must not be zero");
      }
      part.keep = static_cast<unsigned>(value);
    }
    if (j < body.size() && (body[j] == 'r' || body[j] == 'R')) {
      part.reverse = true;
      ++j;
    }
    for (; j < body.size(); ++j) {
      if (!is_delimiter(body[j])) {
        return fail("spf.syntax.macro", "'" + macro_text + "': '" + std::string(1, body[j]) +
                                            "' is not a transformer or delimiter (. - + , / _ =)");
      }
      part.delimiters += body[j];
    }
    return true;
  }

  /// A domain-spec ends in a macro-expand, or in "." and a toplabel with an optional dot (§7.1).
  bool domain_end_ok() {
    if (context_ != MacroContext::domain_spec || ends_in_macro_) return true;
    std::string_view tail = text_.substr(literal_start_);
    if (!tail.empty() && tail.back() == '.') tail.remove_suffix(1);
    const std::size_t dot = tail.rfind('.');
    if (dot != std::string_view::npos && is_toplabel(tail.substr(dot + 1))) return true;
    return fail("spf.syntax.domain_spec",
                "\"" + macro_.text +
                    "\" is not a domain: it must end in a macro or in '.' and a "
                    "top label of letters, digits and inner hyphens, not all digits");
  }

  void flush() {
    if (literal_.empty()) return;
    MacroPart part;
    part.literal = std::move(literal_);
    macro_.parts.push_back(std::move(part));
    literal_.clear();
  }

  std::string_view text_;
  MacroContext context_;
  MacroString macro_;
  std::string literal_;            ///< literal text since the last macro
  bool ends_in_macro_ = false;     ///< the last token is a macro-expand (domain-end, §7.1)
  std::size_t literal_start_ = 0;  ///< where the raw text after the last macro-expand begins
  SyntaxError error_;
};

class RecordParser {
 public:
  explicit RecordParser(std::string_view text) : text_(text) {}

  ParsedRecord run() {
    ParsedRecord parsed;
    if (!is_spf_record(text_)) {
      parsed.error = error("spf.syntax.version", "the record does not start with \"v=spf1\"");
      return parsed;
    }
    Record record;
    record.text = std::string(text_);
    std::size_t pos = 6;
    while (pos < text_.size()) {
      while (pos < text_.size() && text_[pos] == ' ') ++pos;
      if (pos == text_.size()) break;
      std::size_t end = text_.find(' ', pos);
      if (end == std::string_view::npos) end = text_.size();
      const std::string_view term = text_.substr(pos, end - pos);
      SyntaxError e = parse_term(term, pos, record);
      if (!e.code.empty()) {
        e.term = std::string(term);
        e.offset = pos;
        parsed.error = std::move(e);
        return parsed;
      }
      pos = end;
    }
    parsed.record = std::move(record);
    return parsed;
  }

 private:
  SyntaxError parse_term(std::string_view term, std::size_t offset, Record& record) {
    for (char c : term) {
      if (!is_visible(c)) {
        return error("spf.syntax.character",
                     "the term contains " + describe_byte(c) +
                         "; terms are printable ASCII separated by spaces only");
      }
    }
    // A modifier is a name followed by "=" before any ":" or "/" (§4.6.1).
    if (is_alpha(term[0])) {
      std::size_t i = 1;
      while (i < term.size() &&
             (is_alnum(term[i]) || term[i] == '-' || term[i] == '_' || term[i] == '.'))
        ++i;
      if (i < term.size() && term[i] == '=') {
        return parse_modifier(term.substr(0, i), term.substr(i + 1), term, offset, record);
      }
    }
    Directive d;
    d.text = std::string(term);
    d.offset = offset;
    std::string_view rest = term;
    switch (rest[0]) {
      case '+':
        d.qualifier = Qualifier::pass;
        rest.remove_prefix(1);
        break;
      case '-':
        d.qualifier = Qualifier::fail;
        rest.remove_prefix(1);
        break;
      case '~':
        d.qualifier = Qualifier::softfail;
        rest.remove_prefix(1);
        break;
      case '?':
        d.qualifier = Qualifier::neutral;
        rest.remove_prefix(1);
        break;
      default:
        break;
    }
    const std::size_t name_end = std::min(rest.find(':'), rest.find('/'));
    const std::string_view name = rest.substr(0, name_end);
    const std::string_view args =
        name_end == std::string_view::npos ? std::string_view{} : rest.substr(name_end);
    static constexpr std::pair<std::string_view, Mechanism> kNames[] = {
        {"all", Mechanism::all}, {"include", Mechanism::include}, {"a", Mechanism::a},
        {"mx", Mechanism::mx},   {"ptr", Mechanism::ptr},         {"ip4", Mechanism::ip4},
        {"ip6", Mechanism::ip6}, {"exists", Mechanism::exists}};
    const auto* known = std::find_if(std::begin(kNames), std::end(kNames),
                                     [&](const auto& k) { return iequals(k.first, name); });
    if (known == std::end(kNames)) {
      if (name.empty())
        return error("spf.syntax.unknown_mechanism", "the term has no mechanism name");
      return error("spf.syntax.unknown_mechanism",
                   "'" + std::string(name) +
                       "' is not a mechanism (all, include, a, mx, ptr, ip4, ip6, exists)" +
                       (iequals(name, "redirect") || iequals(name, "exp")
                            ? "; modifiers are written with '='"
                            : ""));
    }
    d.mechanism = known->second;
    const std::string mech(to_string(d.mechanism));
    SyntaxError e;
    switch (d.mechanism) {
      case Mechanism::all:
        if (!args.empty()) return error("spf.syntax.argument", "'all' takes no argument");
        break;
      case Mechanism::include:
      case Mechanism::exists:
        if (args.empty() || args[0] != ':') {
          return error("spf.syntax.argument", "'" + mech + "' needs ':' and a domain");
        }
        e = domain_spec(args.substr(1), mech, d.domain);
        break;
      case Mechanism::ptr:
        if (!args.empty()) {
          if (args[0] != ':')
            return error("spf.syntax.argument", "'ptr' takes only ':' and a domain");
          e = domain_spec(args.substr(1), mech, d.domain);
        }
        break;
      case Mechanism::a:
      case Mechanism::mx:
        e = a_or_mx(args, mech, d);
        break;
      case Mechanism::ip4:
      case Mechanism::ip6:
        e = network(args, d);
        break;
    }
    if (!e.code.empty()) return e;
    record.directives.push_back(std::move(d));
    return {};
  }

  SyntaxError parse_modifier(std::string_view name, std::string_view value, std::string_view term,
                             std::size_t offset, Record& record) {
    const bool is_redirect = iequals(name, "redirect");
    const bool is_exp = iequals(name, "exp");
    if (is_redirect || is_exp) {
      const std::string modifier = is_redirect ? "redirect" : "exp";
      if (is_redirect ? record.redirect.has_value() : record.exp.has_value()) {
        return error("spf.syntax.duplicate_modifier", "'" + modifier + "' appears more than once");
      }
      std::optional<MacroString> spec;
      SyntaxError e = domain_spec(value, modifier, spec);
      if (!e.code.empty()) return e;
      (is_redirect ? record.redirect : record.exp) = std::move(spec);
      (is_redirect ? record.redirect_text : record.exp_text) = std::string(term);
      if (is_redirect) record.redirect_offset = offset;
      return {};
    }
    ParsedMacro parsed = parse_macro_string(value, MacroContext::unknown_modifier);
    if (!parsed) return parsed.error;
    record.modifiers.push_back(
        Modifier{std::string(name), std::move(*parsed.value), std::string(term)});
    return {};
  }

  static SyntaxError domain_spec(std::string_view spec, const std::string& where,
                                 std::optional<MacroString>& out) {
    if (spec.empty()) return error("spf.syntax.domain_spec", "'" + where + "' has an empty domain");
    ParsedMacro parsed = parse_macro_string(spec, MacroContext::domain_spec);
    if (!parsed) return parsed.error;
    out = std::move(parsed.value);
    return {};
  }

  static SyntaxError a_or_mx(std::string_view args, const std::string& mech, Directive& d) {
    DualCidr cidr;
    if (!args.empty() && args[0] == ':') {
      cidr = split_dual_cidr(args.substr(1));
      SyntaxError e = domain_spec(cidr.rest, mech, d.domain);
      if (!e.code.empty()) return e;
    } else {
      cidr = split_dual_cidr(args);
      if (!cidr.rest.empty()) {
        return error("spf.syntax.argument",
                     "'" + mech + "' takes ':' and a domain, then /N for IPv4 and //N for IPv6");
      }
    }
    if (cidr.has_v4) {
      auto len = ip::parse_length(cidr.v4, ip::Family::v4);
      if (!len)
        return error("spf.syntax.cidr",
                     "bad IPv4 prefix length /" + std::string(cidr.v4) + ": " + len.error);
      d.cidr4 = *len.value;
    }
    if (cidr.has_v6) {
      auto len = ip::parse_length(cidr.v6, ip::Family::v6);
      if (!len)
        return error("spf.syntax.cidr",
                     "bad IPv6 prefix length //" + std::string(cidr.v6) + ": " + len.error);
      d.cidr6 = *len.value;
    }
    return {};
  }

  static SyntaxError network(std::string_view args, Directive& d) {
    const bool v4 = d.mechanism == Mechanism::ip4;
    const std::string mech = v4 ? "ip4" : "ip6";
    if (args.empty() || args[0] != ':') {
      return error("spf.syntax.argument", "'" + mech + "' needs ':' and an address");
    }
    std::string_view text = args.substr(1);
    std::string_view length_text;
    const std::size_t slash = text.find('/');
    const bool has_length = slash != std::string_view::npos;
    if (has_length) {
      length_text = text.substr(slash + 1);
      text = text.substr(0, slash);
    }
    auto address = ip::parse_address(text);
    const ip::Family family = v4 ? ip::Family::v4 : ip::Family::v6;
    if (!address) {
      return error("spf.syntax.address", "'" + std::string(text) + "' is not an " +
                                             (v4 ? "IPv4" : "IPv6") + " address: " + address.error);
    }
    if (address.value->family != family) {
      return error("spf.syntax.address",
                   "'" + std::string(text) + "' is not an " + (v4 ? "IPv4" : "IPv6") + " address");
    }
    unsigned length = ip::max_length(family);
    if (has_length) {
      auto len = ip::parse_length(length_text, family);
      if (!len) {
        return error("spf.syntax.cidr",
                     "bad prefix length /" + std::string(length_text) + ": " + len.error);
      }
      length = *len.value;
    }
    d.network = *ip::make_prefix(*address.value, length);
    return {};
  }

  std::string_view text_;
};

}  // namespace

std::string_view to_string(Result result) {
  switch (result) {
    case Result::none:
      return "none";
    case Result::neutral:
      return "neutral";
    case Result::pass:
      return "pass";
    case Result::fail:
      return "fail";
    case Result::softfail:
      return "softfail";
    case Result::temperror:
      return "temperror";
    case Result::permerror:
      return "permerror";
  }
  return "none";
}

Result result_of(Qualifier qualifier) {
  switch (qualifier) {
    case Qualifier::pass:
      return Result::pass;
    case Qualifier::fail:
      return Result::fail;
    case Qualifier::softfail:
      return Result::softfail;
    case Qualifier::neutral:
      return Result::neutral;
  }
  return Result::neutral;
}

std::string_view to_string(Mechanism mechanism) {
  switch (mechanism) {
    case Mechanism::all:
      return "all";
    case Mechanism::include:
      return "include";
    case Mechanism::a:
      return "a";
    case Mechanism::mx:
      return "mx";
    case Mechanism::ptr:
      return "ptr";
    case Mechanism::ip4:
      return "ip4";
    case Mechanism::ip6:
      return "ip6";
    case Mechanism::exists:
      return "exists";
  }
  return "all";
}

bool costs_lookup(Mechanism mechanism) {
  return mechanism == Mechanism::include || mechanism == Mechanism::a ||
         mechanism == Mechanism::mx || mechanism == Mechanism::ptr ||
         mechanism == Mechanism::exists;
}

bool MacroString::uses(char letter) const {
  return std::any_of(parts.begin(), parts.end(),
                     [&](const MacroPart& p) { return p.letter == letter; });
}

bool MacroString::is_static() const {
  return std::all_of(parts.begin(), parts.end(),
                     [](const MacroPart& p) { return p.letter == 0 || p.letter == 'd'; });
}

ParsedMacro parse_macro_string(std::string_view text, MacroContext context) {
  return MacroParser(text, context).run();
}

bool is_spf_record(std::string_view text) {
  return text.size() >= 6 && iequals(text.substr(0, 6), "v=spf1") &&
         (text.size() == 6 || text[6] == ' ');
}

ParsedRecord parse_record(std::string_view text) { return RecordParser(text).run(); }

std::string join_strings(const TxtRecord& strings) {
  std::size_t size = 0;
  for (const auto& s : strings) size += s.size();
  std::string out;
  out.reserve(size);
  for (const auto& s : strings) out += s;
  return out;
}

std::vector<std::string> split_strings(std::string_view record) {
  std::vector<std::string> strings;
  while (record.size() > kStringSizeLimit) {
    std::size_t cut = record.substr(0, kStringSizeLimit).rfind(' ');
    cut = (cut == std::string_view::npos || cut == 0) ? kStringSizeLimit : cut + 1;
    strings.emplace_back(record.substr(0, cut));
    record.remove_prefix(cut);
  }
  strings.emplace_back(record);
  return strings;
}

bool Record::has_all() const {
  return std::any_of(directives.begin(), directives.end(),
                     [](const Directive& d) { return d.mechanism == Mechanism::all; });
}

const std::string& MacroValues::value(char letter) const {
  switch (letter) {
    case 's':
      return s;
    case 'l':
      return l;
    case 'o':
      return o;
    case 'd':
      return d;
    case 'i':
      return i;
    case 'p':
      return p;
    case 'v':
      return v;
    case 'h':
      return h;
    case 'c':
      return c;
    case 'r':
      return r;
    default:
      return t;
  }
}

std::string expand(const MacroString& macro, const MacroValues& values) {
  std::string out;
  std::vector<std::string_view> pieces;
  for (const MacroPart& part : macro.parts) {
    if (part.letter == 0) {
      out += part.literal;
      continue;
    }
    const std::string& value = values.value(part.letter);
    const bool plain =
        part.keep == 0 && !part.reverse && (part.delimiters.empty() || part.delimiters == ".");
    if (plain && !part.escape) {
      out += value;
      continue;
    }
    std::string transformed;
    if (plain) {
      transformed = value;
    } else {
      const std::string_view delimiters =
          part.delimiters.empty() ? std::string_view(".") : part.delimiters;
      pieces.clear();
      std::size_t start = 0;
      for (std::size_t k = 0; k <= value.size(); ++k) {
        if (k == value.size() || delimiters.find(value[k]) != std::string_view::npos) {
          pieces.push_back(std::string_view(value).substr(start, k - start));
          start = k + 1;
        }
      }
      if (part.reverse) std::reverse(pieces.begin(), pieces.end());
      std::size_t first = 0;
      if (part.keep != 0 && part.keep < pieces.size()) first = pieces.size() - part.keep;
      for (std::size_t k = first; k < pieces.size(); ++k) {
        if (k != first) transformed += '.';
        transformed += pieces[k];
      }
    }
    if (part.escape) {
      url_escape(transformed, out);
    } else {
      out += transformed;
    }
  }
  return out;
}

std::string target_name(std::string_view expanded) {
  if (!expanded.empty() && expanded.back() == '.') expanded.remove_suffix(1);
  while (expanded.size() > kNameSizeLimit) {
    const std::size_t dot = expanded.find('.');
    if (dot == std::string_view::npos) break;
    expanded.remove_prefix(dot + 1);
  }
  return std::string(expanded);
}

bool is_valid_query_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > kNameSizeLimit) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::size_t len = (dot == std::string_view::npos ? name.size() : dot) - start;
    if (len == 0 || len > kLabelSizeLimit) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_checkable_domain(std::string_view domain) {
  if (domain.empty() || domain.front() == '[' || !is_valid_query_name(domain)) return false;
  if (domain.back() == '.') domain.remove_suffix(1);
  return domain.find('.') != std::string_view::npos;
}

std::string reverse_name(const ip::Address& address) {
  std::string out;
  if (address.family == ip::Family::v4) {
    const auto v = static_cast<std::uint32_t>(address.lo);
    for (int shift = 0; shift < 32; shift += 8) {
      out += std::to_string((v >> shift) & 0xffu);
      out += '.';
    }
    return out + "in-addr.arpa";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int nibble = 0; nibble < 32; ++nibble) {
    const std::uint64_t half = nibble < 16 ? address.lo : address.hi;
    out += kHex[(half >> ((nibble % 16) * 4)) & 0xfu];
    out += '.';
  }
  return out + "ip6.arpa";
}

}  // namespace relaycheck::spf
