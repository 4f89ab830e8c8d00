#include "dns/client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "dns/socket_fd.h"

namespace certfleet::dns {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kMaxMessage = 65535;

// What went wrong, for the message: the server, the transport and what happened.
struct Target {
  const ServerAddress& server;
  const char* transport;  // "UDP", "TCP"

  Error Make(ErrorCode code, const std::string& what) const {
    return Error{code, "DNS server " + server.ToString() + " " + what + " (" + transport + ")"};
  }
  Error FromErrno(int err, std::string_view step) const {
    if (err == ECONNREFUSED)
      return Make(ErrorCode::kUnavailable, "refused the connection (nothing listens there?)");
    return Make(ErrorCode::kUnavailable, std::string(step) + ": " + std::strerror(err));
  }
  Error Timeout(milliseconds timeout) const {
    return Make(ErrorCode::kDeadlineExceeded,
                "did not answer within " + std::to_string(timeout.count()) + " ms");
  }
};

milliseconds Remaining(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? left : milliseconds(0);
}

// Waits until `fd` has `events` or the deadline passes (false).
bool WaitReady(int fd, short events, Clock::time_point until) {
  while (true) {
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(Remaining(until).count()));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return true;  // let the following call report the error
  }
}

Result<SocketFd> OpenSocket(const Target& target, int type, sockaddr_storage* address,
                            socklen_t* length) {
  *length = ToSockaddr(target.server, address);
  SocketFd fd(::socket(address->ss_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return Fail(target.FromErrno(errno, "creating a socket"));
  return fd;
}

// A response to `query`: same id, a response, the same question (case-insensitive).
// Malformed ones are taken too: the caller reports them.
bool Matches(const Query& query, std::string_view wire) {
  if (wire.size() < 12) return false;
  const auto id = static_cast<std::uint16_t>((static_cast<unsigned char>(wire[0]) << 8) |
                                             static_cast<unsigned char>(wire[1]));
  if (id != query.id || (static_cast<unsigned char>(wire[2]) & 0x80) == 0) return false;
  auto parsed = ParseMessage(wire);
  if (!parsed) return true;  // reported as malformed by the caller
  // Error answers (FORMERR, NOTIMP) may come without the question.
  if (parsed->question_name.empty() && parsed->question_type == 0) return parsed->rcode != 0;
  return parsed->question_name == query.name && parsed->question_type == query.type;
}

bool IsTruncated(std::string_view wire) {
  return wire.size() >= 3 && (static_cast<unsigned char>(wire[2]) & 0x02) != 0;
}

Result<std::string> ExchangeUdp(const Target& target, const Query& query,
                                const ExchangeOptions& options, Clock::time_point deadline) {
  sockaddr_storage address{};
  socklen_t length = 0;
  auto fd = OpenSocket(target, SOCK_DGRAM, &address, &length);
  if (!fd) return Fail(fd.error());
  if (::connect(fd->get(), reinterpret_cast<sockaddr*>(&address), length) != 0)
    return Fail(target.FromErrno(errno, "connecting"));
  std::array<char, kMaxMessage> buffer{};
  while (Remaining(deadline).count() > 0) {
    if (::send(fd->get(), query.wire.data(), query.wire.size(), 0) < 0)
      return Fail(target.FromErrno(errno, "sending"));
    const auto resend_at = std::min(deadline, Clock::now() + options.udp_retry);
    while (WaitReady(fd->get(), POLLIN, resend_at)) {
      const ssize_t n = ::recv(fd->get(), buffer.data(), buffer.size(), 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n < 0) return Fail(target.FromErrno(errno, "receiving"));
      std::string wire(buffer.data(), static_cast<std::size_t>(n));
      if (Matches(query, wire)) return wire;
    }
  }
  return Fail(target.Timeout(options.timeout));
}

Status SendAll(const Target& target, int fd, std::string_view bytes, Clock::time_point deadline,
               milliseconds timeout) {
  while (!bytes.empty()) {
    if (!WaitReady(fd, POLLOUT, deadline)) return Fail(target.Timeout(timeout));
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) return Fail(target.FromErrno(errno, "sending"));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok();
}

Result<std::string> ReceiveExactly(const Target& target, int fd, std::size_t size,
                                   Clock::time_point deadline, milliseconds timeout) {
  std::string bytes(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    if (!WaitReady(fd, POLLIN, deadline)) return Fail(target.Timeout(timeout));
    const ssize_t n = ::recv(fd, bytes.data() + done, size - done, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) return Fail(target.FromErrno(errno, "receiving"));
    if (n == 0) return Fail(target.Make(ErrorCode::kUnavailable, "closed the connection early"));
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

Status Connect(const Target& target, int fd, const sockaddr_storage& address, socklen_t length,
               Clock::time_point deadline, milliseconds timeout) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), length) == 0) return Ok();
  if (errno != EINPROGRESS) return Fail(target.FromErrno(errno, "connecting"));
  if (!WaitReady(fd, POLLOUT, deadline)) return Fail(target.Timeout(timeout));
  int err = 0;
  socklen_t err_length = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_length);
  if (err != 0) return Fail(target.FromErrno(err, "connecting"));
  return Ok();
}

Result<std::string> ExchangeTcp(const Target& target, const Query& query,
                                const ExchangeOptions& options, Clock::time_point deadline) {
  sockaddr_storage address{};
  socklen_t length = 0;
  auto fd = OpenSocket(target, SOCK_STREAM, &address, &length);
  if (!fd) return Fail(fd.error());
  if (auto connected = Connect(target, fd->get(), address, length, deadline, options.timeout);
      !connected)
    return Fail(connected.error());
  std::string framed;
  framed.push_back(static_cast<char>(query.wire.size() >> 8));
  framed.push_back(static_cast<char>(query.wire.size() & 0xff));
  framed += query.wire;
  if (auto sent = SendAll(target, fd->get(), framed, deadline, options.timeout); !sent)
    return Fail(sent.error());
  auto prefix = ReceiveExactly(target, fd->get(), 2, deadline, options.timeout);
  if (!prefix) return Fail(prefix.error());
  const std::size_t size = static_cast<std::size_t>(static_cast<unsigned char>((*prefix)[0])) << 8 |
                           static_cast<unsigned char>((*prefix)[1]);
  auto wire = ReceiveExactly(target, fd->get(), size, deadline, options.timeout);
  if (!wire) return Fail(wire.error());
  if (!Matches(query, *wire)) {
    return Fail(target.Make(ErrorCode::kProtocol, "answered another question than ours"));
  }
  return wire;
}

}  // namespace

Result<std::string> ExchangeWire(const ServerAddress& server, const Query& query,
                                 const ExchangeOptions& options) {
  const auto deadline = Clock::now() + options.timeout;
  if (!options.tcp) {
    auto wire = ExchangeUdp(Target{server, "UDP"}, query, options, deadline);
    if (!wire || !IsTruncated(*wire)) return wire;
  }
  return ExchangeTcp(Target{server, "TCP"}, query, options, deadline);
}

Result<Message> Exchange(const ServerAddress& server, const Query& query,
                         const ExchangeOptions& options) {
  auto wire = ExchangeWire(server, query, options);
  if (!wire) return Fail(wire.error());
  auto message = ParseMessage(*wire);
  if (!message) {
    return Fail(message.error().WithContext("DNS server " + server.ToString() +
                                            " sent a malformed response"));
  }
  return message;
}

Result<Message> Ask(const ServerAddress& server, std::string_view name, std::uint16_t type,
                    bool recursion_desired, const ExchangeOptions& options) {
  auto query = BuildQuery(name, type, recursion_desired);
  if (!query) return Fail(query.error());
  return Exchange(server, *query, options);
}

}  // namespace certfleet::dns
