#include "agent/live_verifier.h"

#include <fcntl.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

#include "crypto/x509.h"

namespace certfleet::agent {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;
// See WaitUntilServed: how many handshakes in a row must show the new certificate.
constexpr int kConsecutiveMatchesRequired = 3;
constexpr size_t kNamesInMessages = 4;
constexpr auto kProbeInterval = std::chrono::milliseconds(5);

int MillisLeft(SteadyTime deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// A connected, non-blocking TCP socket to host:port.
Result<int> Connect(const std::string& address, SteadyTime deadline) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos)
    return Fail(ErrorCode::kInvalidArgument, "bad address " + address);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // "[::1]:443"
  }
  if (::getaddrinfo(host.c_str(), address.c_str() + colon + 1, &hints, &found) != 0 ||
      found == nullptr) {
    return Fail(ErrorCode::kUnavailable, "cannot resolve " + address);
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(found, &::freeaddrinfo);
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "cannot create a socket for " + address);
  if (::connect(fd, found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS) {
    const int err = errno;
    ::close(fd);
    return Fail(ErrorCode::kUnavailable,
                "nothing answered on " + address + " (" + std::strerror(err) + ")");
  }
  pollfd p{fd, POLLOUT, 0};
  int err = 0;
  socklen_t len = sizeof(err);
  const int ready = ::poll(&p, 1, MillisLeft(deadline));
  if (ready != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
    ::close(fd);
    if (ready == 0)
      return Fail(ErrorCode::kDeadlineExceeded, "connecting to " + address + " timed out");
    return Fail(ErrorCode::kUnavailable,
                "nothing answered on " + address + " (" + std::strerror(err) + ")");
  }
  return fd;
}

// Drives SSL_connect on a non-blocking socket until it completes or the deadline passes.
Status Handshake(SSL* ssl, int fd, SteadyTime deadline, const std::string& address) {
  for (;;) {
    const int rc = SSL_connect(ssl);
    if (rc == 1) return Ok();
    const int want = SSL_get_error(ssl, rc);
    if (want != SSL_ERROR_WANT_READ && want != SSL_ERROR_WANT_WRITE) {
      return Fail(ErrorCode::kUnavailable, "TLS handshake with " + address + " failed");
    }
    pollfd p{fd, static_cast<short>(want == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
    if (::poll(&p, 1, MillisLeft(deadline)) != 1) {
      return Fail(ErrorCode::kDeadlineExceeded, "TLS handshake with " + address + " timed out");
    }
  }
}

}  // namespace

std::string ProbeName(const std::string& domain) {
  if (domain.rfind("*.", 0) == 0) return "certfleet-verify" + domain.substr(1);
  return domain;
}

namespace {

// One client context for every probe: SSL_CTX_new costs about a millisecond of CPU in
// OpenSSL 3 (it fetches the algorithms), and a verification polls every few ms while
// nginx reloads on the same cores. Created once, thread-safe for SSL_new, never freed
// (a probe may run while the process exits). No session reuse: each probe must see the
// certificate the server presents now, so no session is ever set on an SSL.
SSL_CTX* ProbeContext() {
  static SSL_CTX* const ctx = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    if (c != nullptr) {
      SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
      SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
    }
    return c;
  }();
  return ctx;
}

}  // namespace

Result<crypto::Certificate> FetchServedCertificate(const std::string& address,
                                                   const std::string& server_name,
                                                   Duration timeout) {
  const SteadyTime deadline = std::chrono::steady_clock::now() + timeout;
  auto connected = Connect(address, deadline);
  if (!connected) return Fail(connected.error());
  Fd fd{*connected};
  SSL_CTX* ctx = ProbeContext();
  if (ctx == nullptr) return Fail(ErrorCode::kInternal, "SSL_CTX_new failed");
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx), &SSL_free);
  // SSL_set_tlsext_host_name is a macro with an old-style cast; this is what it expands to.
  if (!ssl || SSL_set_fd(ssl.get(), fd.fd) != 1 ||
      SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(server_name.c_str())) != 1) {
    return Fail(ErrorCode::kInternal, "cannot set up TLS to " + address);
  }
  if (auto s = Handshake(ssl.get(), fd.fd, deadline, address); !s) return Fail(s.error());
  X509* peer = SSL_get1_peer_certificate(ssl.get());
  if (peer == nullptr) return Fail(ErrorCode::kProtocol, address + " presented no certificate");
  return crypto::Certificate::Adopt(peer);
}

Result<std::string> FetchServedSha256(const std::string& address, const std::string& server_name,
                                      Duration timeout) {
  auto leaf = FetchServedCertificate(address, server_name, timeout);
  if (!leaf) return Fail(leaf.error());
  return leaf->Sha256Fingerprint();
}

ServeCheck CheckServed(const std::string& address, const std::string& server_name,
                       const std::string& expected_sha256, Duration timeout,
                       Duration first_probe_after, int matches_required) {
  const SteadyTime deadline = std::chrono::steady_clock::now() + timeout;
  if (first_probe_after > Duration(0))
    std::this_thread::sleep_for(std::min(first_probe_after, timeout));
  // What to tell the operator: the last certificate seen says more than the last probe's
  // error (a probe squeezed by the deadline fails on time alone).
  ServeCheck check;
  check.last_error = "nothing";
  int matches_in_a_row = 0;
  for (;;) {
    auto served = FetchServedCertificate(address, server_name,
                                         std::max(Duration(1), Duration(MillisLeft(deadline))));
    const bool match = served && served->Sha256Fingerprint() == expected_sha256;
    if (match && ++matches_in_a_row >= matches_required) {
      check.served = true;
      return check;
    }
    if (!match) matches_in_a_row = 0;
    if (served && !match) check.last = std::move(*served);
    if (!served) check.last_error = served.error().message;
    if (std::chrono::steady_clock::now() + kProbeInterval >= deadline) break;
    std::this_thread::sleep_for(kProbeInterval);
  }
  return check;
}

std::string DescribeServed(const ServeCheck& check) {
  if (!check.last) return "no certificate was seen: " + check.last_error;
  const std::vector<std::string> all = check.last->DnsNames();
  std::string names;
  for (size_t i = 0; i < all.size() && i < kNamesInMessages; ++i)
    names += (i == 0 ? "" : ", ") + all[i];
  if (all.size() > kNamesInMessages) names += ", …";
  return "it served certificate " + check.last->Sha256Fingerprint() + " (" +
         (names.empty() ? "no DNS names" : names) + ")";
}

Status WaitUntilServed(const std::string& address, const std::string& server_name,
                       const std::string& expected_sha256, Duration timeout,
                       Duration first_probe_after) {
  const ServeCheck check = CheckServed(address, server_name, expected_sha256, timeout,
                                       first_probe_after, kConsecutiveMatchesRequired);
  if (check.served) return Ok();
  return Fail(ErrorCode::kDeadlineExceeded,
              address + " (SNI " + server_name + ") did not serve certificate " + expected_sha256 +
                  " within " + std::to_string(timeout.count()) + " ms; " + DescribeServed(check));
}

}  // namespace certfleet::agent
