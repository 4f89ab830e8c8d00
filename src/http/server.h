// Server: the one HTTP/1.1 server of certfleet (hub API, web UI, HTTP-01 responders).
//
//   http::Router router;
//   router.Add("GET", "/healthz", [](const http::Request&) { return http::Response::Text("ok"); });
//   auto server = http::Server::Start({.listen = "127.0.0.1:0"}, std::move(router));
//   if (!server) return Fail(server.error());
//   uint16_t port = (*server)->port();
//
// Behaviour:
// - Keep-alive and pipelining per HTTP/1.1; one request at a time per connection.
// - Request bodies over body_limit answer 413 (before the body is read when
//   Content-Length announces it); header blocks over header_limit answer 431; a
//   malformed request answers 400. These close the connection.
// - read_timeout bounds the whole read of one request, including the idle wait for it
//   on a kept-alive connection, so slow or idle clients (slowloris) are disconnected.
// - "Expect: 100-continue" is honoured (libcurl sends it for large bodies).
// - Connection caps (review 2026-12-06, F3): a peer address with
//   max_connections_per_address open connections gets no more (the new one is closed at
//   once). At max_connections — never more than the open-file limit allows, less a reserve
//   for the rest of the process — the server closes the connections that have waited
//   longest for a request (idle keep-alive, slow senders) to make room, as nginx does; with
//   none to close it refuses the new one. Each is logged as a warning, at most once per
//   10 s with a count. Running out of file descriptors in accept() does the same.
// - While a deferred request waits, the server checks every peer_check_interval that the
//   client is still connected; a client that left frees its connection then.
// - A deferred request's answer (Responder::Send from any thread) is written before its io
//   thread serves the next request it has queued: answers to requests already read go
//   before reading new ones (e.g. 10,000 long polls answered at once are all written before
//   the passes they start are served). Reading new requests waits for at most one answer per
//   open connection at a time, so no client is starved.
// - admit_body, when set, sees each request that carries a body after its header and
//   before any of the body is read (and before "100 Continue"): it can refuse the request
//   (e.g. 401 without a valid token) or lower the body limit.
// - A handler that throws gets 500 with a JSON error; the exception is logged with the
//   method and path (request dispatch is an exception boundary).
// - Access lines are logged at debug level, problems at warn/error, through spdlog.
//
// Thread safety: Start/Stop/port are safe from any thread; Stop is idempotent. Handlers
// run on `io_threads` threads concurrently. Each thread serves its own share of the
// connections (dealt out in turn at accept): a slow handler holds up only the connections
// of its own thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "http/router.h"

namespace certfleet::http {

// What ServerOptions::admit_body decides for one request: refuse it with `reject` (its
// body is never read; the connection closes after the answer), or read at most
// `body_limit` bytes of body (413 beyond).
struct BodyAdmission {
  std::optional<Response> reject;
  std::size_t body_limit = 0;
};

// TLS from PEM files (policy: http/tls_context.h).
struct TlsOptions {
  std::string cert_file;  // the certificate, then its intermediates
  std::string key_file;
};

struct ServerOptions {
  std::string listen = "127.0.0.1:0";  // "HOST:PORT" or "[V6]:PORT"; port 0 picks a free port
  int io_threads = 1;
  std::size_t body_limit = 1024 * 1024;
  std::uint32_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  // Default deadline of a deferred (async) request that sets none itself (answers 504).
  std::chrono::milliseconds deferred_timeout{60'000};
  // How long Stop waits for in-flight requests before closing everything.
  std::chrono::milliseconds stop_grace{5'000};
  std::string name = "http";                        // prefix of log lines, e.g. "hub-api"
  std::size_t max_connections = 16'384;             // 0: only the open-file limit
  std::size_t max_connections_per_address = 1'024;  // 0: no per-address cap
  std::chrono::milliseconds peer_check_interval{1'000};
  // Gets the request with method, target, path, query, headers and remote_address set and
  // an empty body. Called on an io thread: keep it quick. Unset: every body is read up to
  // body_limit.
  std::function<BodyAdmission(const Request& head)> admit_body;
  std::optional<TlsOptions> tls;  // set: every connection speaks TLS (1.2+)
};

// Raises this process' soft limit of open files to its hard limit (as nginx's
// worker_rlimit_nofile and Go's runtime do), so the connection caps, not a default soft
// limit of 1024, bound the server. Returns the soft limit in force afterwards. Call it
// once at start-up, before threads open files.
std::size_t RaiseOpenFileLimit();

class Server {
 public:
  // Binds the listen address and starts the io threads. Fails (kInvalidArgument or kIo)
  // with the address in the message when it is malformed or cannot be bound, or naming
  // the file when the TLS certificate or key cannot be loaded.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, Router router);

  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the ephemeral one when the listen port was 0).
  std::uint16_t port() const;
  // "http://HOST:PORT" (with TLS "https://…") for clients and tests.
  std::string BaseUrl() const;

  // Reads the TLS certificate and key files again: new connections get them, open ones
  // keep what they have. On error (unreadable, malformed, key not matching) the current
  // ones stay. kInvalidArgument when the server has no TLS.
  Status ReloadTls();

  // Graceful stop: stops accepting, closes idle connections, lets running handlers
  // finish and write their response (with Connection: close), answers waiting deferred
  // requests with 503, and returns once all is closed or after stop_grace (then
  // connections are cut). Returns when the io threads have exited. Must not be called
  // from a handler (it joins the io threads).
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certfleet::http
