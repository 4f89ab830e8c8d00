// handshake_cost: what reading the certificate at handshake time costs nginx (issue 16,
// reload-free mode). bench/handshake_cost.sh starts one nginx with two TLS servers for the
// same certificate — fixed paths (loaded at start) and certfleet's variable path (loaded
// at each handshake) — and runs this against each.
//
//   handshake_cost ADDRESS SNI SECONDS new|resume
//
// One client, one connection at a time: a TLS handshake, "GET / HTTP/1.0", read to EOF
// (which also takes TLS 1.3 session tickets), close. `resume` offers the session of the
// previous connection (a ticket), `new` never does. Prints "<handshakes> <resumed> <seconds>"
// — the script divides nginx's worker CPU (from /proc) by the handshakes.
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

int Connect(const std::string& address) {
  const size_t colon = address.rfind(':');
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(address.substr(0, colon).c_str(), address.c_str() + colon + 1, &hints,
                    &found) != 0)
    return -1;
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const bool ok = fd >= 0 && ::connect(fd, found->ai_addr, found->ai_addrlen) == 0;
  // Else a resumed handshake's Finished and the request wait on the server's delayed ACK
  // (Nagle): ~40 ms per connection that is not the server's CPU.
  const int one = 1;
  if (ok) ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::freeaddrinfo(found);
  if (!ok && fd >= 0) ::close(fd);
  return ok ? fd : -1;
}

// One connection; returns the session to offer next time (or nullptr), sets *resumed.
SSL_SESSION* OneConnection(SSL_CTX* ctx, const std::string& address, const std::string& sni,
                           SSL_SESSION* offer, bool* resumed, bool* ok) {
  *ok = false;
  const int fd = Connect(address);
  if (fd < 0) return nullptr;
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(sni.c_str()));
  if (offer != nullptr) SSL_set_session(ssl, offer);
  SSL_SESSION* next = nullptr;
  if (SSL_connect(ssl) == 1) {
    const char request[] = "GET / HTTP/1.0\r\n\r\n";
    SSL_write(ssl, request, sizeof request - 1);
    char buffer[4096];
    while (SSL_read(ssl, buffer, sizeof buffer) > 0) {
    }
    *resumed = SSL_session_reused(ssl) == 1;
    // Without a close_notify sent, SSL_free marks the session not resumable (OpenSSL 3).
    SSL_shutdown(ssl);
    next = SSL_get1_session(ssl);
    *ok = true;
  }
  SSL_free(ssl);
  ::close(fd);
  return next;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: handshake_cost ADDRESS SNI SECONDS new|resume\n");
    return 2;
  }
  const std::string address = argv[1], sni = argv[2], mode = argv[4];
  const auto duration = std::chrono::seconds(std::atoi(argv[3]));
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
  const auto start = std::chrono::steady_clock::now();
  long handshakes = 0, resumed = 0, failed = 0;
  SSL_SESSION* session = nullptr;
  while (std::chrono::steady_clock::now() - start < duration) {
    bool was_resumed = false, ok = false;
    SSL_SESSION* next =
        OneConnection(ctx, address, sni, mode == "resume" ? session : nullptr, &was_resumed, &ok);
    if (!ok) {
      ++failed;
      continue;
    }
    ++handshakes;
    resumed += was_resumed ? 1 : 0;
    if (next != nullptr) {
      if (session != nullptr) SSL_SESSION_free(session);
      session = next;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%ld %ld %.3f %ld\n", handshakes, resumed, seconds, failed);
  return failed > handshakes / 100 ? 1 : 0;
}
