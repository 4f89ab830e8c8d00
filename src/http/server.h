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
#include <memory>
#include <string>

#include "common/error.h"
#include "http/router.h"

namespace certfleet::http {

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
  std::string name = "http";  // prefix of log lines, e.g. "hub-api"
};

class Server {
 public:
  // Binds the listen address and starts the io threads. Fails (kInvalidArgument or kIo)
  // with the address in the message when it is malformed or cannot be bound.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, Router router);

  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the ephemeral one when the listen port was 0).
  std::uint16_t port() const;
  // "http://HOST:PORT" for clients and tests.
  std::string BaseUrl() const;

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
