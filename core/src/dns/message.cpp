// The DNS wire codec (message.hpp): names with compression, the header, the four sections, the
// record types SPF, DKIM, DMARC and the relay checks read, and the zone form of an answer.
#include "dns/message.hpp"

#include <algorithm>
#include <array>

#include "text/ascii.hpp"
#include "text/base64.hpp"

namespace relaycheck::dns {
namespace {

using json = nlohmann::json;

constexpr std::size_t kHeader = 12;
constexpr std::size_t kMaxName = 255;
constexpr std::size_t kMaxLabel = 63;

struct NamedType {
  std::uint16_t code;
  const char* name;
};
constexpr std::array<NamedType, 9> kTypes{{{type::A, "A"},
                                           {type::NS, "NS"},
                                           {type::CNAME, "CNAME"},
                                           {type::SOA, "SOA"},
                                           {type::PTR, "PTR"},
                                           {type::MX, "MX"},
                                           {type::TXT, "TXT"},
                                           {type::AAAA, "AAAA"},
                                           {type::OPT, "OPT"}}};

constexpr std::array<const char*, 11> kRcodes{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                              "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                              "NXRRSET", "NOTAUTH", "NOTZONE"};

/// A decoding error: where, and what.
struct Failure {
  std::size_t offset;
  std::string message;
};

// ---------------------------------------------------------------------------------------------
// Names in text
// ---------------------------------------------------------------------------------------------

/// Appends one label in the text form of Question::name.
void append_label(std::string& out, const std::uint8_t* label, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) {
    const std::uint8_t c = label[i];
    if (c == '.' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c <= 0x20 || c >= 0x7f) {
      out += '\\';
      out += static_cast<char>('0' + c / 100);
      out += static_cast<char>('0' + c / 10 % 10);
      out += static_cast<char>('0' + c % 10);
    } else {
      out += static_cast<char>(c);
    }
  }
}

/// Splits a name in text into wire labels (the text form: \DDD and \X escapes are read).
std::optional<std::string> encode_name(std::string_view name, Bytes& out) {
  if (name == ".") name = "";
  if (!name.empty() && name.back() == '.' && !(name.size() >= 2 && name[name.size() - 2] == '\\'))
    name.remove_suffix(1);
  Bytes wire;
  std::string label;
  auto flush = [&](bool last) -> std::optional<std::string> {
    if (label.empty()) {
      if (last && wire.empty()) return std::nullopt;  // the root
      return std::string("the name has an empty label");
    }
    if (label.size() > kMaxLabel) {
      return "the label '" + label.substr(0, 20) + "...' is " + std::to_string(label.size()) +
             " octets long; a label has at most 63";
    }
    wire.push_back(static_cast<std::uint8_t>(label.size()));
    wire.insert(wire.end(), label.begin(), label.end());
    label.clear();
    return std::nullopt;
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == '.') {
      if (auto e = flush(false)) return e;
      continue;
    }
    if (c == '\\') {
      if (i + 3 < name.size() && text::is_digit(name[i + 1]) && text::is_digit(name[i + 2]) &&
          text::is_digit(name[i + 3])) {
        const int v = (name[i + 1] - '0') * 100 + (name[i + 2] - '0') * 10 + (name[i + 3] - '0');
        if (v > 255)
          return std::string("the escape \\") + std::string(name.substr(i + 1, 3)) +
                 " is not a byte";
        label += static_cast<char>(v);
        i += 3;
        continue;
      }
      if (i + 1 < name.size()) {
        label += name[++i];
        continue;
      }
      return std::string("the name ends with a lone backslash");
    }
    if (c <= 0x20 || c >= 0x7f) {
      return "the name has the byte " + std::to_string(c) +
             " (only printable ASCII; an internationalized name is written in A-labels)";
    }
    label += static_cast<char>(c);
  }
  if (!name.empty() || !wire.empty()) {
    if (auto e = flush(true)) return e;
  }
  wire.push_back(0);
  if (wire.size() > kMaxName) {
    return "the name is " + std::to_string(wire.size()) +
           " octets long in the wire format; a name has at most 255";
  }
  out.insert(out.end(), wire.begin(), wire.end());
  return std::nullopt;
}

void put16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

void put32(Bytes& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xffff));
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::size_t size() const { return size_; }

  void need(std::size_t at, std::size_t count, const char* what) const {
    if (at > size_ || count > size_ - at) {
      throw Failure{at, std::string(what) + " needs " + std::to_string(count) + " bytes but the " +
                            std::to_string(size_) + "-byte message ends at byte " +
                            std::to_string(size_)};
    }
  }

  std::uint8_t u8(std::size_t at, const char* what) const {
    need(at, 1, what);
    return data_[at];
  }
  std::uint16_t u16(std::size_t at, const char* what) const {
    need(at, 2, what);
    return static_cast<std::uint16_t>((data_[at] << 8) | data_[at + 1]);
  }
  std::uint32_t u32(std::size_t at, const char* what) const {
    need(at, 4, what);
    return (static_cast<std::uint32_t>(data_[at]) << 24) |
           (static_cast<std::uint32_t>(data_[at + 1]) << 16) |
           (static_cast<std::uint32_t>(data_[at + 2]) << 8) | data_[at + 3];
  }
  const std::uint8_t* at(std::size_t offset) const { return data_ + offset; }

  /// Reads the name at `start`; returns its text and sets `end` to the byte after it where it
  /// began (after the first pointer, if any).
  std::string name(std::size_t start, std::size_t& end) const {
    std::string text;
    std::size_t pos = start;
    std::size_t wire_length = 1;  // the final zero octet
    std::optional<std::size_t> last_target;
    int jumps = 0;
    for (;;) {
      const std::uint8_t length = u8(pos, "a name's label length");
      if (length == 0) {
        if (!last_target) end = pos + 1;
        return text;
      }
      const unsigned kind = length & 0xc0u;
      if (kind == 0xc0u) {
        const auto pointer = static_cast<std::size_t>(u16(pos, "a compression pointer") & 0x3fffu);
        const std::string what = "compression pointer to " + std::to_string(pointer);
        if (pointer >= size_) {
          throw Failure{
              pos, what + " is past the end of the " + std::to_string(size_) + "-byte message"};
        }
        if (pointer < kHeader) throw Failure{pos, what + " points into the 12-byte header"};
        if (pointer >= pos) {
          throw Failure{pos, what + " points forward (a pointer points to an earlier name)"};
        }
        if (last_target && pointer >= *last_target) {
          throw Failure{pos, what + " does not point before the previous pointer's target (" +
                                 std::to_string(*last_target) + "): a loop"};
        }
        if (++jumps > kMaxPointerJumps) {
          throw Failure{pos, "a name follows more than " + std::to_string(kMaxPointerJumps) +
                                 " compression pointers"};
        }
        if (!last_target) end = pos + 2;
        last_target = pointer;
        pos = pointer;
        continue;
      }
      if (kind != 0) {
        throw Failure{pos, "label type " + std::to_string(length >> 6) +
                               " is neither a length nor a pointer"};
      }
      need(pos + 1, length, "a label");
      wire_length += 1u + length;
      if (wire_length > kMaxName) throw Failure{pos, "the name is longer than 255 octets"};
      if (!text.empty()) text += '.';
      append_label(text, at(pos + 1), length);
      pos += 1u + length;
    }
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

/// A name inside RDATA: it must end inside the RDATA.
std::string rdata_name(const Reader& r, std::size_t& pos, std::size_t rdata_end, const char* what) {
  std::size_t end = pos;
  std::string name = r.name(pos, end);
  if (end > rdata_end) {
    throw Failure{pos, std::string(what) + " runs past the end of its record's data (byte " +
                           std::to_string(rdata_end) + ")"};
  }
  pos = end;
  return name;
}

void read_rdata(const Reader& r, std::size_t start, std::size_t length, Record& record) {
  const std::size_t end = start + length;
  std::size_t pos = start;
  auto exact = [&](const char* what) {
    if (pos != end) {
      throw Failure{pos, std::string(what) + " leaves " + std::to_string(end - pos) +
                             " bytes of its record's data unread"};
    }
  };
  switch (record.type) {
    case type::A:
      if (length != 4) {
        throw Failure{start,
                      "an A record's data is " + std::to_string(length) + " bytes; it must be 4"};
      }
      record.address = ip::Address::v4(r.u32(start, "an A record"));
      return;
    case type::AAAA: {
      if (length != 16) {
        throw Failure{
            start, "an AAAA record's data is " + std::to_string(length) + " bytes; it must be 16"};
      }
      std::uint64_t hi = 0, lo = 0;
      for (std::size_t i = 0; i < 8; ++i) hi = (hi << 8) | *r.at(start + i);
      for (std::size_t i = 8; i < 16; ++i) lo = (lo << 8) | *r.at(start + i);
      record.address = ip::Address::v6(hi, lo);
      return;
    }
    case type::CNAME:
    case type::PTR:
    case type::NS:
      record.target = rdata_name(r, pos, end, "the target name");
      exact("the target name");
      return;
    case type::MX:
      if (length < 3) throw Failure{start, "an MX record's data is shorter than 3 bytes"};
      record.preference = r.u16(start, "an MX preference");
      pos += 2;
      record.target = rdata_name(r, pos, end, "the MX exchange");
      exact("the MX exchange");
      return;
    case type::SOA: {
      Soa soa;
      soa.mname = rdata_name(r, pos, end, "the SOA's primary server");
      soa.rname = rdata_name(r, pos, end, "the SOA's mailbox");
      if (end - pos != 20) {
        throw Failure{pos, "the SOA's five numbers need 20 bytes, the record has " +
                               std::to_string(end - pos)};
      }
      soa.serial = r.u32(pos, "the SOA serial");
      soa.refresh = r.u32(pos + 4, "the SOA refresh");
      soa.retry = r.u32(pos + 8, "the SOA retry");
      soa.expire = r.u32(pos + 12, "the SOA expire");
      soa.minimum = r.u32(pos + 16, "the SOA minimum");
      record.soa = std::move(soa);
      return;
    }
    case type::TXT:
      if (length == 0) throw Failure{start, "a TXT record has no character-string"};
      while (pos < end) {
        const std::uint8_t n = *r.at(pos);
        if (n > end - pos - 1) {
          throw Failure{pos, "a TXT character-string of " + std::to_string(n) +
                                 " bytes runs past the end of its record's data (byte " +
                                 std::to_string(end) + ")"};
        }
        record.txt.emplace_back(reinterpret_cast<const char*>(r.at(pos + 1)), n);
        pos += 1u + n;
      }
      return;
    default:
      record.rdata.assign(r.at(start), r.at(start) + length);
      return;
  }
}

Record read_record(const Reader& r, std::size_t& pos) {
  Record record;
  std::size_t end = pos;
  record.name = r.name(pos, end);
  pos = end;
  r.need(pos, 10, "a record's type, class, TTL and length");
  record.type = r.u16(pos, "a record type");
  record.klass = r.u16(pos + 2, "a record class");
  record.ttl = r.u32(pos + 4, "a record TTL");
  const std::uint16_t length = r.u16(pos + 8, "a record length");
  pos += 10;
  if (length > r.size() - pos) {
    throw Failure{pos - 2, "a record's data of " + std::to_string(length) +
                               " bytes runs past the end of the " + std::to_string(r.size()) +
                               "-byte message"};
  }
  read_rdata(r, pos, length, record);
  pos += length;
  return record;
}

Message decode(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxMessage) {
    throw Failure{kMaxMessage, "the message is " + std::to_string(size) +
                                   " bytes; a DNS message has at most 65535"};
  }
  if (size < kHeader) {
    throw Failure{
        size, "the message is " + std::to_string(size) + " bytes, shorter than the 12-byte header"};
  }
  const Reader r(data, size);
  Message m;
  m.id = r.u16(0, "the id");
  const std::uint16_t flags = r.u16(2, "the flags");
  m.response = (flags & 0x8000u) != 0;
  m.opcode = static_cast<std::uint8_t>((flags >> 11) & 0xfu);
  m.authoritative = (flags & 0x0400u) != 0;
  m.truncated = (flags & 0x0200u) != 0;
  m.recursion_desired = (flags & 0x0100u) != 0;
  m.recursion_available = (flags & 0x0080u) != 0;
  m.authentic_data = (flags & 0x0020u) != 0;
  m.checking_disabled = (flags & 0x0010u) != 0;
  m.rcode = static_cast<std::uint16_t>(flags & 0xfu);
  const std::size_t qd = r.u16(4, "the question count");
  const std::size_t an = r.u16(6, "the answer count");
  const std::size_t ns = r.u16(8, "the authority count");
  const std::size_t ar = r.u16(10, "the additional count");
  // A question takes at least 5 bytes, a record 11: counts the bytes cannot hold are refused
  // before anything is allocated.
  const std::size_t least = qd * 5 + (an + ns + ar) * 11;
  if (least > size - kHeader) {
    throw Failure{4, "the header counts " + std::to_string(qd) + " questions and " +
                         std::to_string(an + ns + ar) + " records, which need at least " +
                         std::to_string(least) + " bytes; the message has " +
                         std::to_string(size - kHeader) + " after the header"};
  }
  std::size_t pos = kHeader;
  m.questions.reserve(qd);
  for (std::size_t i = 0; i < qd; ++i) {
    Question q;
    std::size_t end = pos;
    q.name = r.name(pos, end);
    pos = end;
    q.type = r.u16(pos, "a question type");
    q.klass = r.u16(pos + 2, "a question class");
    pos += 4;
    m.questions.push_back(std::move(q));
  }
  const std::array<std::pair<std::vector<Record>*, std::size_t>, 3> sections{
      {{&m.answers, an}, {&m.authority, ns}, {&m.additional, ar}}};
  for (std::size_t s = 0; s < sections.size(); ++s) {
    auto& [records, count] = sections[s];
    records->reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t start = pos;
      Record record = read_record(r, pos);
      if (record.type == type::OPT) {
        if (s != 2) throw Failure{start, "an OPT record outside the additional section"};
        if (m.udp_payload) throw Failure{start, "a second OPT record (RFC 6891 §6.1.1)"};
        if (!record.name.empty()) throw Failure{start, "an OPT record not owned by the root"};
        m.udp_payload = record.klass;
        m.rcode = static_cast<std::uint16_t>(m.rcode | ((record.ttl >> 24) << 4));
      }
      records->push_back(std::move(record));
    }
  }
  if (pos != size) {
    throw Failure{pos, std::to_string(size - pos) + " bytes follow the last record"};
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Encoding a message
// ---------------------------------------------------------------------------------------------

/// Writes names with compression against the names written before (whole suffixes only).
class Writer {
 public:
  Bytes out;

  std::optional<std::string> name(const std::string& text) {
    Bytes wire;
    if (auto e = encode_name(text, wire)) return e;
    // Try each suffix of the name, longest first, against what was written.
    std::size_t pos = 0;
    while (wire[pos] != 0) {
      const Bytes suffix(wire.begin() + static_cast<std::ptrdiff_t>(pos), wire.end());
      for (const auto& [offset, written] : suffixes_) {
        if (written == suffix) {
          out.insert(out.end(), wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(pos));
          put16(out, static_cast<std::uint16_t>(0xc000u | offset));
          remember(wire, pos, out.size() - 2 - pos);
          return std::nullopt;
        }
      }
      pos += 1u + wire[pos];
    }
    const std::size_t start = out.size();
    out.insert(out.end(), wire.begin(), wire.end());
    remember(wire, wire.size() - 1, start);
    return std::nullopt;
  }

 private:
  /// Remembers the suffixes of `wire` that start before `upto`, written at `start`.
  void remember(const Bytes& wire, std::size_t upto, std::size_t start) {
    for (std::size_t pos = 0; pos < upto && wire[pos] != 0; pos += 1u + wire[pos]) {
      if (start + pos < 0x4000) {
        suffixes_.emplace_back(start + pos,
                               Bytes(wire.begin() + static_cast<std::ptrdiff_t>(pos), wire.end()));
      }
    }
  }
  std::vector<std::pair<std::size_t, Bytes>> suffixes_;
};

std::optional<std::string> write_record(Writer& w, const Record& record) {
  if (auto e = w.name(record.name)) return e;
  put16(w.out, record.type);
  put16(w.out, record.klass);
  put32(w.out, record.ttl);
  const std::size_t length_at = w.out.size();
  put16(w.out, 0);
  const std::size_t start = w.out.size();
  switch (record.type) {
    case type::A:
    case type::AAAA: {
      const bool v4 = record.type == type::A;
      if (!record.address || (record.address->family == ip::Family::v4) != v4) {
        return std::string("an ") + (v4 ? "A" : "AAAA") +
               " record without an address of its family";
      }
      if (v4) {
        put32(w.out, static_cast<std::uint32_t>(record.address->lo));
      } else {
        for (int s = 56; s >= 0; s -= 8)
          w.out.push_back(static_cast<std::uint8_t>(record.address->hi >> s));
        for (int s = 56; s >= 0; s -= 8)
          w.out.push_back(static_cast<std::uint8_t>(record.address->lo >> s));
      }
      break;
    }
    case type::CNAME:
    case type::PTR:
    case type::NS:
      if (auto e = w.name(record.target)) return e;
      break;
    case type::MX:
      put16(w.out, record.preference);
      if (auto e = w.name(record.target)) return e;
      break;
    case type::SOA: {
      if (!record.soa) return std::string("an SOA record without its fields");
      if (auto e = w.name(record.soa->mname)) return e;
      if (auto e = w.name(record.soa->rname)) return e;
      for (std::uint32_t v : {record.soa->serial, record.soa->refresh, record.soa->retry,
                              record.soa->expire, record.soa->minimum}) {
        put32(w.out, v);
      }
      break;
    }
    case type::TXT:
      if (record.txt.empty()) return std::string("a TXT record without a character-string");
      for (const std::string& s : record.txt) {
        if (s.size() > 255) return std::string("a TXT character-string over 255 bytes");
        w.out.push_back(static_cast<std::uint8_t>(s.size()));
        w.out.insert(w.out.end(), s.begin(), s.end());
      }
      break;
    default:
      w.out.insert(w.out.end(), record.rdata.begin(), record.rdata.end());
      break;
  }
  const std::size_t length = w.out.size() - start;
  if (length > 0xffff) return std::string("a record's data is over 65535 bytes");
  w.out[length_at] = static_cast<std::uint8_t>(length >> 8);
  w.out[length_at + 1] = static_cast<std::uint8_t>(length & 0xff);
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Zone entries
// ---------------------------------------------------------------------------------------------

/// The bytes as UTF-8, each byte of an invalid sequence replaced by U+FFFD.
std::string valid_utf8(const std::string& bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t n = 0;  // continuation bytes
    std::uint32_t value = 0, least = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1, value = c & 0x1fu, least = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2, value = c & 0x0fu, least = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3, value = c & 0x07u, least = 0x10000;
    }
    bool ok = n > 0 && n < bytes.size() - i;
    for (std::size_t k = 1; ok && k <= n; ++k) {
      const auto d = static_cast<unsigned char>(bytes[i + k]);
      ok = (d & 0xc0u) == 0x80u;
      value = (value << 6) | (d & 0x3fu);
    }
    ok = ok && value >= least && value <= 0x10ffff && !(value >= 0xd800 && value <= 0xdfff);
    if (ok) {
      out.append(bytes, i, n + 1);
      i += n + 1;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
  return out;
}

json entry_of(const Record& record) {
  json entry = {{"type", type_name(record.type)}};
  switch (record.type) {
    case type::TXT: {
      json strings = json::array();
      for (const std::string& s : record.txt) strings.push_back(valid_utf8(s));
      entry["data"] = std::move(strings);
      break;
    }
    case type::A:
    case type::AAAA:
      entry["data"] = ip::to_string(*record.address);
      break;
    case type::MX:
      entry["data"] = json::array({record.preference, normalize(record.target)});
      break;
    default:
      entry["data"] = normalize(record.target);
      break;
  }
  return entry;
}

bool zone_type(std::uint16_t t) {
  return t == type::TXT || t == type::A || t == type::AAAA || t == type::MX || t == type::PTR;
}

}  // namespace

std::string type_name(std::uint16_t code) {
  for (const auto& t : kTypes) {
    if (t.code == code) return t.name;
  }
  return "TYPE" + std::to_string(code);
}

std::optional<std::uint16_t> type_code(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  for (const auto& t : kTypes) {
    if (upper == t.name) return t.code;
  }
  if (upper.size() > 4 && upper.size() <= 9 && upper.compare(0, 4, "TYPE") == 0) {
    unsigned long value = 0;
    for (std::size_t i = 4; i < upper.size(); ++i) {
      if (!text::is_digit(upper[i])) return std::nullopt;
      value = value * 10 + static_cast<unsigned long>(upper[i] - '0');
    }
    if (upper[4] == '0' || value > 0xffff) return std::nullopt;
    return static_cast<std::uint16_t>(value);
  }
  return std::nullopt;
}

std::string rcode_name(std::uint16_t code) {
  if (code < kRcodes.size()) return kRcodes[code];
  return "RCODE" + std::to_string(code);
}

std::string normalize(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  for (char& c : out) c = text::to_lower(c);
  return out;
}

Result<Bytes> encode_query(std::string_view name, std::uint16_t qtype, std::uint16_t id,
                           std::uint16_t udp_payload) {
  Result<Bytes> result;
  if (udp_payload < 512) {
    result.error =
        "the UDP payload size " + std::to_string(udp_payload) + " is under 512 (RFC 6891 §6.2.3)";
    return result;
  }
  Bytes out;
  put16(out, id);
  put16(out, 0x0100);  // RD
  put16(out, 1);       // one question
  put16(out, 0);
  put16(out, 0);
  put16(out, 1);  // the OPT record
  if (auto e = encode_name(name, out)) {
    result.error = *e;
    return result;
  }
  put16(out, qtype);
  put16(out, 1);     // IN
  out.push_back(0);  // OPT: the root name
  put16(out, type::OPT);
  put16(out, udp_payload);
  put32(out, 0);  // extended RCODE 0, version 0, no flags
  put16(out, 0);  // no options
  result.value = std::move(out);
  return result;
}

Result<Message> decode_response(const std::uint8_t* data, std::size_t size) {
  Result<Message> result;
  try {
    result.value = decode(data, size);
  } catch (const Failure& f) {
    result.offset = f.offset;
    result.error = "at byte " + std::to_string(f.offset) + ": " + f.message;
  }
  return result;
}

Result<Message> decode_response(const Bytes& bytes) {
  return decode_response(bytes.data(), bytes.size());
}

Result<Message> decode_response(std::string_view bytes) {
  return decode_response(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

Result<Bytes> encode_message(const Message& m) {
  Result<Bytes> result;
  Writer w;
  put16(w.out, m.id);
  std::uint16_t flags = static_cast<std::uint16_t>((m.opcode & 0xfu) << 11);
  if (m.response) flags |= 0x8000u;
  if (m.authoritative) flags |= 0x0400u;
  if (m.truncated) flags |= 0x0200u;
  if (m.recursion_desired) flags |= 0x0100u;
  if (m.recursion_available) flags |= 0x0080u;
  if (m.authentic_data) flags |= 0x0020u;
  if (m.checking_disabled) flags |= 0x0010u;
  flags = static_cast<std::uint16_t>(flags | (m.rcode & 0xfu));
  put16(w.out, flags);
  for (std::size_t n :
       {m.questions.size(), m.answers.size(), m.authority.size(), m.additional.size()}) {
    if (n > 0xffff) {
      result.error = "a section has more than 65535 entries";
      return result;
    }
    put16(w.out, static_cast<std::uint16_t>(n));
  }
  for (const Question& q : m.questions) {
    if (auto e = w.name(q.name)) {
      result.error = *e;
      return result;
    }
    put16(w.out, q.type);
    put16(w.out, q.klass);
  }
  for (const auto* section : {&m.answers, &m.authority, &m.additional}) {
    for (const Record& record : *section) {
      if (auto e = write_record(w, record)) {
        result.error = *e;
        return result;
      }
    }
  }
  if (w.out.size() > kMaxMessage) {
    result.error = "the message would be " + std::to_string(w.out.size()) +
                   " bytes; a DNS message has at most 65535";
    return result;
  }
  result.value = std::move(w.out);
  return result;
}

Result<json> to_zone_entries(const Question& question, const Message& response) {
  Result<json> result;
  if (!response.response) {
    result.error = "the message is a query, not a response";
    return result;
  }
  if (response.truncated) {
    result.error = "the response is truncated (TC): ask again over TCP";
    return result;
  }
  if (response.questions.size() != 1 ||
      normalize(response.questions.front().name) != normalize(question.name) ||
      response.questions.front().type != question.type) {
    result.error =
        "the response does not answer " + normalize(question.name) + " " + type_name(question.type);
    return result;
  }
  if (!zone_type(question.type)) {
    result.error =
        "the zone format holds TXT, A, AAAA, MX and PTR, not " + type_name(question.type);
    return result;
  }
  json zone = json::object();
  const std::string asked = normalize(question.name);
  if (response.rcode != rcode::NOERROR && response.rcode != rcode::NXDOMAIN) {
    zone[asked] = json::array({json{{"type", "TIMEOUT"}, {"data", type_name(question.type)}}});
    result.value = std::move(zone);
    return result;
  }
  // Follow the CNAME chain inside the answer section.
  std::string owner = asked;
  std::vector<std::string> seen{owner};
  for (int hops = 0;; ++hops) {
    const auto alias = std::find_if(
        response.answers.begin(), response.answers.end(),
        [&](const Record& r) { return r.type == type::CNAME && normalize(r.name) == owner; });
    if (alias == response.answers.end() || question.type == type::CNAME) break;
    const std::string target = normalize(alias->target);
    zone[owner] = json::array({json{{"type", "CNAME"}, {"data", target}}});
    if (hops + 1 > kMaxCnameChain || std::find(seen.begin(), seen.end(), target) != seen.end()) {
      // A loop or an overlong chain: a resolver answers SERVFAIL; so does the zone.
      zone[target] = json::array({json{{"type", "TIMEOUT"}, {"data", type_name(question.type)}}});
      result.value = std::move(zone);
      return result;
    }
    seen.push_back(target);
    owner = target;
  }
  json entries = json::array();
  if (response.rcode == rcode::NXDOMAIN) {
    entries.push_back(json{{"type", "NXDOMAIN"}});
  } else {
    for (const Record& r : response.answers) {
      if (r.type == question.type && normalize(r.name) == owner) entries.push_back(entry_of(r));
    }
    if (entries.empty())
      entries.push_back(json{{"type", "NODATA"}, {"data", type_name(question.type)}});
  }
  zone[owner] = std::move(entries);
  result.value = std::move(zone);
  return result;
}

std::string base64_encode(const Bytes& bytes) {
  return text::base64_encode(bytes.data(), bytes.size(), text::Base64Form::standard);
}

std::string base64url_encode(const Bytes& bytes) {
  return text::base64_encode(bytes.data(), bytes.size(), text::Base64Form::url_unpadded);
}

Result<Bytes> base64_decode(std::string_view encoded) {
  using Problem = text::Base64Decoded::Problem;
  Result<Bytes> result;
  auto fail = [&](std::size_t at, const std::string& why) {
    result.offset = at;
    result.error = "at character " + std::to_string(at) + ": " + why;
    return result;
  };
  if (encoded.size() % 4 != 0) {
    return fail(encoded.size(), "base64 text comes in groups of 4 characters; " +
                                    std::to_string(encoded.size()) + " is not a multiple of 4");
  }
  const text::Base64Decoded decoded = text::base64_decode(encoded, /*skip_fws=*/false);
  switch (decoded.problem) {
    case Problem::none:
      break;
    case Problem::not_base64:
      return fail(decoded.at, "not a base64 character");
    case Problem::after_padding:
      return fail(decoded.at, "a base64 character after '=', which only pads the end");
    case Problem::too_much_padding:
      return fail(decoded.at, "a third '=' (base64 pads with one or two)");
    case Problem::partial_group:  // not after the length check above, with no space skipped
      return fail(decoded.at, "not a whole number of 4-character groups");
  }
  result.value.emplace(decoded.bytes.begin(), decoded.bytes.end());
  return result;
}

Result<std::string> doh_get_parameter(std::string_view name, std::uint16_t qtype) {
  Result<std::string> result;
  auto query = encode_query(name, qtype, 0);
  if (!query) {
    result.error = query.error;
    return result;
  }
  result.value = base64url_encode(*query.value);
  return result;
}

std::string reverse_name(const ip::Address& address) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  if (address.family == ip::Family::v4) {
    const auto v = static_cast<std::uint32_t>(address.lo);
    for (int s = 0; s < 32; s += 8) out += std::to_string((v >> s) & 0xffu) + ".";
    return out + "in-addr.arpa";
  }
  for (int s = 0; s < 64; s += 4) {
    out += kHex[(address.lo >> s) & 0xfu];
    out += '.';
  }
  for (int s = 0; s < 64; s += 4) {
    out += kHex[(address.hi >> s) & 0xfu];
    out += '.';
  }
  return out + "ip6.arpa";
}

}  // namespace relaycheck::dns
