// Connection handling of Server (internals; include only from src/http/*.cc).
//
// One Session per accepted socket runs as a coroutine on one io thread's io_context. ServerCore is
// what sessions share with the server: the router, the options, the stop flag and the
// registry Stop() uses to reach every open connection.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/connection_limits.h"
#include "http/router.h"
#include "http/server.h"

namespace boost::asio::ssl {
class context;
}

namespace certfleet::http {

struct ServerCore;

// One connection, plain or TLS (session.cc). What the server's bookkeeping needs of it.
class Session {
 public:
  virtual ~Session() = default;
  virtual const std::string& remote_address() const = 0;
  // Called (under core.mu) once the session is counted in core.sessions and per_address.
  virtual void MarkRegistered() = 0;
  // Since when (steady clock ticks) it waits for a request that has not fully arrived; 0
  // while it serves one. Read from any thread.
  virtual std::int64_t waiting_since() const = 0;
  // Claims it for eviction (requires core.mu): true once per wait.
  virtual bool ClaimForEviction(std::int64_t seen_since) = 0;
  // Thread-safe: closes it if it still waits for a request.
  virtual void Evict() = 0;
  // Thread-safe: asks it to finish (Server::Stop).
  virtual void Shutdown() = 0;
};

struct ServerCore {
  ServerCore(ServerOptions opts, Router r)
      : options(std::move(opts)),
        router(std::move(r)),
        max_connections(EffectiveMaxConnections(options.max_connections)) {}

  const ServerOptions options;
  const Router router;
  const std::size_t max_connections;  // options.max_connections within the open-file limit
  std::atomic<bool> stopping{false};

  std::mutex mu;
  std::condition_variable sessions_changed;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
  std::unordered_map<std::string, std::size_t> per_address;  // open connections per peer
  std::size_t evicting = 0;  // sessions asked to close for room that have not closed yet

  LogLimiter address_cap_log;  // "too many connections from <address>"
  LogLimiter global_cap_log;   // "connection limit reached"
};

// Takes over `socket` (whose executor must serialize its handlers: an io_context run by one
// thread) and serves it until it closes — unless the connection caps refuse it (then it
// is closed at once; see server.h). With `tls`, the session first completes a TLS
// handshake under read_timeout (a failed one is logged at debug level and closes it).
void StartSession(boost::asio::ip::tcp::socket socket, ServerCore& core,
                  std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

// Closes up to `count` of the connections that have waited longest for a request (idle
// keep-alive or slow senders); returns how many it asked to close. Thread-safe.
std::size_t EvictIdleSessions(ServerCore& core, std::size_t count);

// Asks every open session to finish (see Server::Stop). Thread-safe; does not wait.
void ShutdownSessions(ServerCore& core);

}  // namespace certfleet::http
