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
#include <unordered_map>

#include "http/router.h"
#include "http/server.h"

namespace certfleet::http {

class Session;

struct ServerCore {
  ServerCore(ServerOptions opts, Router r) : options(std::move(opts)), router(std::move(r)) {}

  const ServerOptions options;
  const Router router;
  std::atomic<bool> stopping{false};

  std::mutex mu;
  std::condition_variable sessions_changed;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
};

// Takes over `socket` (whose executor must serialize its handlers: an io_context run by one
// thread) and serves it until it closes.
void StartSession(boost::asio::ip::tcp::socket socket, ServerCore& core);

// Asks every open session to finish (see Server::Stop). Thread-safe; does not wait.
void ShutdownSessions(ServerCore& core);

}  // namespace certfleet::http
