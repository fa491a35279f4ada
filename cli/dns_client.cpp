#include "dns_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace relaycheck::cli::dns {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kHeader = 12;

/// A socket closed when it goes out of scope.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = other.fd_;
      other.fd_ = -1;
    }
    return *this;
  }
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text(int error) { return std::strerror(error); }

/// The socket address of `server`, and its length.
socklen_t socket_address(const Server& server, sockaddr_storage& storage) {
  std::memset(&storage, 0, sizeof storage);
  if (server.ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(server.port);
    a->sin6_scope_id = server.scope;
    ::inet_pton(AF_INET6, server.address.c_str(), &a->sin6_addr);
    return sizeof(sockaddr_in6);
  }
  auto* a = reinterpret_cast<sockaddr_in*>(&storage);
  a->sin_family = AF_INET;
  a->sin_port = htons(server.port);
  ::inet_pton(AF_INET, server.address.c_str(), &a->sin_addr);
  return sizeof(sockaddr_in);
}

/// Milliseconds from now until `deadline`, at least 0, for poll().
int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > 3600000 ? 3600000 : static_cast<int>(left.count());
}

/// Waits until `fd` is ready for `events` or the deadline passes; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

std::uint8_t byte_at(const Bytes& m, std::size_t i) { return m[i]; }

std::uint16_t u16_at(const Bytes& m, std::size_t i) {
  return static_cast<std::uint16_t>((m[i] << 8) | m[i + 1]);
}

/// The end of the uncompressed name at `at` (after its root label), or 0 when the bytes there are
/// not one (a compression pointer, a label past the end, a name over 255 octets).
std::size_t name_end(const Bytes& m, std::size_t at) {
  std::size_t total = 0;
  while (at < m.size()) {
    const std::size_t length = byte_at(m, at);
    if (length == 0) return at + 1;
    if (length > 63) return 0;
    total += length + 1;
    if (total > 255 || at + 1 + length >= m.size()) return 0;
    at += 1 + length;
  }
  return 0;
}

char lower(std::uint8_t c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); }

/// The port of "PORT": 1-65535 in decimal, no sign, no leading zero.
std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5 || text[0] == '0') return std::nullopt;
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

/// An address without port: IPv4, or IPv6 with an optional `%zone` (interface name or index).
ParsedServer parse_address(std::string_view text, bool allow_v4) {
  ParsedServer out;
  Server server;
  std::string address(text);
  const std::size_t percent = address.find('%');
  if (percent != std::string::npos) {
    server.zone = address.substr(percent + 1);
    address.resize(percent);
  }
  // inet_pton reads a C string: a NUL (or anything else but digits, hex letters, '.' and ':')
  // would let text after it pass unread.
  for (const char c : address) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != '.' && c != ':') {
      out.error = "not an IPv4 or IPv6 address (a resolver is given by its address, not a name)";
      return out;
    }
  }
  for (const char c : server.zone) {
    if (c <= ' ' || c > '~') {
      out.error = "a network interface name of printable characters after '%'";
      return out;
    }
  }
  in6_addr v6{};
  in_addr v4{};
  if (allow_v4 && percent == std::string::npos && ::inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    server.address = address;
    out.server = server;
    return out;
  }
  if (::inet_pton(AF_INET6, address.c_str(), &v6) != 1) {
    out.error = address.find(':') == std::string::npos && !allow_v4
                    ? "not an IPv6 address"
                    : "not an IPv4 or IPv6 address (a resolver is given by its address, not a "
                      "name)";
    return out;
  }
  server.address = address;
  server.ipv6 = true;
  if (percent != std::string::npos) {
    if (server.zone.empty()) {
      out.error = "an empty zone after '%'";
      return out;
    }
    std::uint32_t index = 0;
    if (auto numeric = parse_port(server.zone)) index = *numeric;  // small numbers read the same
    if (index == 0) index = ::if_nametoindex(server.zone.c_str());
    if (index == 0) {
      out.error = "no network interface '" + server.zone + "'";
      return out;
    }
    server.scope = index;
  }
  out.server = server;
  return out;
}

/// Reads exactly `length` bytes from a TCP socket before the deadline.
bool read_exactly(int fd, std::uint8_t* into, std::size_t length, Clock::time_point deadline,
                  std::string& error) {
  std::size_t got = 0;
  while (got < length) {
    if (!wait_for(fd, POLLIN, deadline)) {
      error = "timed out";
      return false;
    }
    const ssize_t n = ::recv(fd, into + got, length - got, 0);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (n == 0) {
      error = "the server closed the connection before the whole answer";
      return false;
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      error = errno_text(errno);
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Server::display() const {
  std::string text = address;
  if (!zone.empty()) text += "%" + zone;
  if (port == 53) return text;
  return (ipv6 ? "[" + text + "]" : text) + ":" + std::to_string(port);
}

ParsedServer parse_server(std::string_view text) {
  ParsedServer out;
  if (text.empty()) {
    out.error = "an empty server";
    return out;
  }
  if (text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) {
      out.error = "a '[' without its ']'";
      return out;
    }
    out = parse_address(text.substr(1, close - 1), false);
    if (!out.server) return out;
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return out;
    const auto port = rest.front() == ':' ? parse_port(rest.substr(1)) : std::nullopt;
    if (!port) {
      out.server.reset();
      out.error = "after ']' comes ':PORT', a port from 1 to 65535";
      return out;
    }
    out.server->port = *port;
    return out;
  }
  const std::size_t colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    out = parse_address(text.substr(0, colon), true);
    if (!out.server) return out;
    if (out.server->ipv6) {  // unreachable: one colon is never IPv6; kept for clarity
      out.server.reset();
      out.error = "write an IPv6 address with a port as [ADDRESS]:PORT";
      return out;
    }
    const auto port = parse_port(text.substr(colon + 1));
    if (!port) {
      out.server.reset();
      out.error = "the port after ':' must be a number from 1 to 65535";
      return out;
    }
    out.server->port = *port;
    return out;
  }
  return parse_address(text, true);
}

ResolvConf parse_resolv_conf(std::string_view text) {
  ResolvConf conf;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    std::size_t i = 0;
    while (i < line.size() && blank(line[i])) ++i;
    if (i == line.size() || line[i] == '#' || line[i] == ';') continue;
    std::size_t k = i;
    while (k < line.size() && !blank(line[k])) ++k;
    if (line.substr(i, k - i) != "nameserver") continue;
    while (k < line.size() && blank(line[k])) ++k;
    std::size_t e = k;
    while (e < line.size() && !blank(line[e]) && line[e] != '#' && line[e] != ';') ++e;
    const std::string_view word = line.substr(k, e - k);
    const std::string where = "line " + std::to_string(line_number) + ": ";
    if (word.empty()) {
      conf.warnings.push_back(where + "'nameserver' without an address");
      continue;
    }
    ParsedServer parsed = parse_address(word, true);
    if (!parsed.server) {
      conf.warnings.push_back(where + "'" + std::string(word) + "' " + parsed.error);
      continue;
    }
    if (conf.servers.size() == kMaxResolvConfServers) {
      conf.warnings.push_back(where + "only the first " + std::to_string(kMaxResolvConfServers) +
                              " nameservers are used");
      continue;
    }
    conf.servers.push_back(*parsed.server);
  }
  return conf;
}

bool truncated(const Bytes& message) {
  return message.size() >= kHeader && (byte_at(message, 2) & 0x02u) != 0;
}

bool answers(const Bytes& query, const Bytes& response) {
  if (query.size() < kHeader || response.size() < kHeader) return false;
  if (u16_at(query, 0) != u16_at(response, 0)) return false;
  if ((byte_at(response, 2) & 0x80u) == 0) return false;                            // QR
  if ((byte_at(query, 2) & 0x78u) != (byte_at(response, 2) & 0x78u)) return false;  // opcode
  const std::uint16_t questions = u16_at(response, 4);
  if (questions == 0) return (byte_at(response, 3) & 0x0Fu) != 0;
  if (questions != 1 || u16_at(query, 4) != 1) return false;
  const std::size_t q_end = name_end(query, kHeader);
  const std::size_t r_end = name_end(response, kHeader);
  if (q_end == 0 || r_end == 0 || q_end != r_end) return false;
  if (query.size() < q_end + 4 || response.size() < r_end + 4) return false;
  for (std::size_t i = kHeader; i < q_end; ++i) {
    if (lower(byte_at(query, i)) != lower(byte_at(response, i))) return false;
  }
  for (std::size_t i = q_end; i < q_end + 4; ++i) {
    if (byte_at(query, i) != byte_at(response, i)) return false;
  }
  return true;
}

Exchange exchange_tcp(const Server& server, const Bytes& query, std::chrono::milliseconds timeout) {
  Exchange out;
  out.tcp = true;
  out.status = Status::failed;
  if (query.size() > 65535) {
    out.error = "the query is over 65,535 bytes";
    return out;
  }
  const Clock::time_point deadline = Clock::now() + timeout;
  Socket s(
      ::socket(server.ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (s.fd() < 0) {
    out.error = "TCP socket: " + errno_text(errno);
    return out;
  }
  sockaddr_storage address{};
  const socklen_t length = socket_address(server, address);
  if (::connect(s.fd(), reinterpret_cast<sockaddr*>(&address), length) != 0) {
    if (errno != EINPROGRESS) {
      out.error = "TCP connect: " + errno_text(errno);
      return out;
    }
    if (!wait_for(s.fd(), POLLOUT, deadline)) {
      out.status = Status::timeout;
      out.error = "TCP connect timed out";
      return out;
    }
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) {
      out.error = "TCP connect: " + errno_text(error);
      return out;
    }
  }
  Bytes framed;
  framed.reserve(query.size() + 2);
  framed.push_back(static_cast<std::uint8_t>(query.size() >> 8));
  framed.push_back(static_cast<std::uint8_t>(query.size() & 0xFFu));
  framed.insert(framed.end(), query.begin(), query.end());
  std::size_t sent = 0;
  while (sent < framed.size()) {
    if (!wait_for(s.fd(), POLLOUT, deadline)) {
      out.status = Status::timeout;
      out.error = "TCP send timed out";
      return out;
    }
    const ssize_t n = ::send(s.fd(), framed.data() + sent, framed.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      out.error = "TCP send: " + errno_text(errno);
      return out;
    }
  }
  std::uint8_t prefix[2] = {0, 0};
  std::string error;
  if (!read_exactly(s.fd(), prefix, 2, deadline, error)) {
    out.status = error == "timed out" ? Status::timeout : Status::failed;
    out.error = "TCP answer: " + error;
    return out;
  }
  out.response.resize(static_cast<std::size_t>((prefix[0] << 8) | prefix[1]));
  if (!read_exactly(s.fd(), out.response.data(), out.response.size(), deadline, error)) {
    out.status = error == "timed out" ? Status::timeout : Status::failed;
    out.error = "TCP answer: " + error;
    out.response.clear();
    return out;
  }
  if (!answers(query, out.response)) {
    out.error = "the TCP answer does not match the query (another id or question)";
    out.response.clear();
    return out;
  }
  out.status = Status::answered;
  return out;
}

Exchange exchange(const Server& server, const Bytes& query, std::chrono::milliseconds timeout) {
  return std::move(exchange_all(server, {query}, timeout).front());
}

std::vector<Exchange> exchange_all(const Server& server, const std::vector<Bytes>& queries,
                                   std::chrono::milliseconds timeout) {
  /// One query in flight: its connected UDP socket and its clock.
  struct Slot {
    Socket socket;
    std::size_t index;
    Clock::time_point deadline;
    Clock::time_point resend_at;
    bool resent;
  };
  std::vector<Exchange> out(queries.size());
  std::vector<Slot> active;
  std::size_t next = 0;
  Bytes buffer(65535);
  sockaddr_storage address{};
  const socklen_t length = socket_address(server, address);
  const auto fail = [&](std::size_t index, const char* what) {
    const int error = errno;  // before anything else can change it
    out[index].status = Status::failed;
    out[index].error = what + errno_text(error);
  };
  while (next < queries.size() || !active.empty()) {
    // Start queries until kMaxInFlight are waiting.
    while (next < queries.size() && active.size() < kMaxInFlight) {
      const std::size_t index = next++;
      Socket s(
          ::socket(server.ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
      if (s.fd() < 0) {
        fail(index, "UDP socket: ");
        continue;
      }
      // Connected, so that only the server's datagrams arrive and an ICMP error reaches recv().
      if (::connect(s.fd(), reinterpret_cast<sockaddr*>(&address), length) != 0) {
        fail(index, "UDP: ");
        continue;
      }
      if (::send(s.fd(), queries[index].data(), queries[index].size(), 0) < 0) {
        fail(index, "UDP send: ");
        continue;
      }
      const Clock::time_point start = Clock::now();
      active.push_back(Slot{std::move(s), index, start + timeout, start + timeout / 2, false});
    }
    if (active.empty()) continue;
    // Wait until a datagram arrives or the earliest resend or deadline.
    std::vector<pollfd> fds;
    Clock::time_point wake = active.front().deadline;
    for (const Slot& slot : active) {
      fds.push_back(pollfd{slot.socket.fd(), POLLIN, 0});
      const Clock::time_point t = slot.resent ? slot.deadline : slot.resend_at;
      if (t < wake) wake = t;
    }
    if (::poll(fds.data(), static_cast<nfds_t>(fds.size()), remaining_ms(wake)) < 0 &&
        errno != EINTR) {
      for (const Slot& slot : active) fail(slot.index, "poll: ");
      break;
    }
    // Read what arrived on every socket (an answer may have come while a TCP fallback ran),
    // then time out or resend the rest.
    for (std::size_t k = active.size(); k-- > 0;) {
      Slot& slot = active[k];
      const Bytes& query = queries[slot.index];
      Exchange& result = out[slot.index];
      bool done = false;
      for (;;) {
        const ssize_t n = ::recv(slot.socket.fd(), buffer.data(), buffer.size(), 0);
        if (n < 0) {
          if (errno == EINTR) continue;
          if (errno != EAGAIN && errno != EWOULDBLOCK) {
            fail(slot.index, "UDP: ");
            done = true;
          }
          break;
        }
        Bytes response(buffer.begin(), buffer.begin() + n);
        if (!answers(query, response)) continue;  // not the answer: keep waiting for it
        if (truncated(response)) {
          result = exchange_tcp(server, query, timeout);
        } else {
          result.status = Status::answered;
          result.response = std::move(response);
        }
        done = true;
        break;
      }
      const Clock::time_point now = Clock::now();
      if (!done && now >= slot.deadline) {
        result.status = Status::timeout;
        result.error = "no answer within " + std::to_string(timeout.count()) + " ms";
        done = true;
      }
      if (!done && !slot.resent && now >= slot.resend_at) {
        slot.resent = true;  // once, in case a datagram was lost
        if (::send(slot.socket.fd(), query.data(), query.size(), 0) < 0) {
          fail(slot.index, "UDP send: ");
          done = true;
        }
      }
      if (done) active.erase(active.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }
  return out;
}

std::string base64_encode(const Bytes& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) |
                            std::uint32_t{bytes[i + 2]};
    out += kAlphabet[(v >> 18) & 63u];
    out += kAlphabet[(v >> 12) & 63u];
    out += kAlphabet[(v >> 6) & 63u];
    out += kAlphabet[v & 63u];
  }
  if (i < bytes.size()) {
    std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    if (i + 1 < bytes.size()) v |= std::uint32_t{bytes[i + 1]} << 8;
    out += kAlphabet[(v >> 18) & 63u];
    out += kAlphabet[(v >> 12) & 63u];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63u] : '=';
    out += '=';
  }
  return out;
}

std::optional<Bytes> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    std::uint32_t v = 0;
    if (c >= 'A' && c <= 'Z') {
      v = static_cast<std::uint32_t>(c - 'A');
    } else if (c >= 'a' && c <= 'z') {
      v = static_cast<std::uint32_t>(c - 'a' + 26);
    } else if (c >= '0' && c <= '9') {
      v = static_cast<std::uint32_t>(c - '0' + 52);
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else {
      return std::nullopt;
    }
    bits = (bits << 6) | v;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<std::uint8_t>((bits >> count) & 0xFFu));
    }
  }
  return out;
}

}  // namespace relaycheck::cli::dns
