#include "text/email_address.hpp"

#include <cstring>

namespace relaycheck::text {
namespace {

constexpr std::size_t kMaxLocal = 64;
constexpr std::size_t kMaxAddress = 254;

/// RFC 5322 §3.2.3 atext.
bool is_atext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != '\0' && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
}

Checked<EmailAddress> fail(std::string reason) { return {std::nullopt, std::move(reason)}; }

std::string printable(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7F) return "\"" + std::string(1, c) + "\"";
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("the byte 0x") + kDigits[u >> 4] + kDigits[u & 0xF];
}

/// Reads the local part; sets `end` to the index of the "@" after it. Empty string when valid.
std::string read_local(std::string_view text, std::size_t& end) {
  if (text.front() == '"') {
    // RFC 5321 Quoted-string: qtextSMTP (printable ASCII but `"` and `\`) or `\` + printable.
    std::size_t i = 1;
    for (; i < text.size() && text[i] != '"'; ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == '\\') {
        if (++i >= text.size()) break;
        const auto escaped = static_cast<unsigned char>(text[i]);
        if (escaped < 0x20 || escaped > 0x7E) {
          return "the quoted part before \"@\" escapes " + printable(text[i]) +
                 ", which is not printable ASCII";
        }
      } else if (c < 0x20 || c > 0x7E) {
        return c >= 0x80 ? "the part before \"@\" holds non-ASCII characters, which need SMTPUTF8 "
                           "(RFC 6531); the relay or the CRM may refuse them"
                         : "the quoted part before \"@\" contains " + printable(text[i]);
      }
    }
    if (i >= text.size()) return "the quoted part before \"@\" has no closing quote";
    end = i + 1;
    if (end >= text.size() || text[end] != '@') return "the closing quote is not followed by \"@\"";
    return {};
  }
  end = text.find('@');
  if (end == std::string_view::npos) return "it has no \"@\"";
  if (end == 0) return "there is nothing before \"@\"";
  const std::string_view local = text.substr(0, end);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return "the part before \"@\" begins or ends with a dot, or has two dots in a row; quote it "
           "or remove the dot (RFC 5321 §4.1.2)";
  }
  for (char c : local) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return "the part before \"@\" holds non-ASCII characters, which need SMTPUTF8 (RFC 6531); "
             "the relay or the CRM may refuse them";
    }
    if (c != '.' && !is_atext(c)) {
      return "the part before \"@\" contains " + printable(c) +
             ", which is allowed only inside "
             "quotes (RFC 5321 §4.1.2)";
    }
  }
  return {};
}

}  // namespace

Checked<EmailAddress> parse_email_address(std::string_view text) {
  if (text.empty()) return fail("it is empty");
  if (text.size() > 4 * kMaxAddress) {
    return fail("it is " + std::to_string(text.size()) +
                " bytes long; an address has at most 254 characters (RFC 5321 §4.5.3.1)");
  }
  if (text.find_first_of("<>") != std::string_view::npos) {
    return fail("write the bare address (bounce@zylker.com), without a name or angle brackets");
  }
  if (std::strchr(" \t\r\n", text.front()) != nullptr ||
      std::strchr(" \t\r\n", text.back()) != nullptr) {
    return fail("it has spaces around it");
  }
  std::size_t at = 0;
  if (std::string problem = read_local(text, at); !problem.empty()) return fail(problem);
  if (at > kMaxLocal) {
    return fail("the part before \"@\" is " + std::to_string(at) +
                " characters long; the limit is 64 (RFC 5321 §4.5.3.1.1)");
  }
  const std::string_view domain_text = text.substr(at + 1);
  if (domain_text.empty()) return fail("there is nothing after \"@\"");
  if (domain_text.find('@') != std::string_view::npos) return fail("it has more than one \"@\"");
  if (domain_text.back() == '.') return fail("its domain ends with a dot");
  if (domain_text.front() == '[') {
    return fail("its domain is an address literal; a return path needs a domain name");
  }
  auto domain = parse_host_name(domain_text);
  if (!domain) return fail("its domain is not valid: " + domain.error);
  if (domain.value->labels < 2) {
    return fail("its domain \"" + domain.value->unicode + "\" is not fully qualified");
  }
  EmailAddress out{std::string(text.substr(0, at)), std::move(*domain.value)};
  if (out.local.size() + 1 + out.domain.ascii.size() > kMaxAddress) {
    return fail("it is longer than 254 characters (RFC 5321 §4.5.3.1)");
  }
  return {std::move(out), {}};
}

}  // namespace relaycheck::text
