// Connection handling of Server (internals; include only from src/http/*.cc).
//
// One Session per accepted socket runs as a coroutine on one io thread's io_context. ServerCore is
// what sessions share with the server: the router, the options, the stop flag and the
// registry Stop() uses to reach every open connection.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/connection_limits.h"
#include "http/router.h"
#include "http/server.h"

namespace certfleet::http {

class Session;

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
// is closed at once; see server.h).
void StartSession(boost::asio::ip::tcp::socket socket, ServerCore& core);

// Closes up to `count` of the connections that have waited longest for a request (idle
// keep-alive or slow senders); returns how many it asked to close. Thread-safe.
std::size_t EvictIdleSessions(ServerCore& core, std::size_t count);

// Asks every open session to finish (see Server::Stop). Thread-safe; does not wait.
void ShutdownSessions(ServerCore& core);

}  // namespace certfleet::http
