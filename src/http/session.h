// Connection handling of Server (internals; include only from src/http/*.cc).
//
// One Session per accepted socket runs as a coroutine on one io thread's io_context. ServerCore is
// what sessions share with the server: the router, the options, the stop flag and the
// registry Stop() uses to reach every open connection. ReadyQueue is what an io thread
// resumes before each handler: the sessions whose deferred request has its answer.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

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
  // Its io thread only: if its deferred request waits, looks at it again now (its answer,
  // a new deadline, the server stopping) and writes the answer if there is one.
  virtual void ResumeDeferred() = 0;
  // After the io threads have stopped: drops what a waiting deferred request holds (its
  // suspended coroutine), so the session is freed with its io_context.
  virtual void AbandonDeferred() = 0;
};

// One per io thread: the sessions to resume because their deferred request changed
// (ResumeDeferred), in the order they were pushed. The io thread runs them before its next
// queued handler (Server's RunThread), so an answer to a request already read — a long poll
// answered by another thread, a report answered after its group commit — is written before
// the thread reads and serves more requests of other clients. Without it, each answer
// waited in the io_context's FIFO behind every handler queued before it, twice (the wake,
// then the timer's completion): with 10,000 watchers answered at once, behind the passes of
// the agents answered earlier (issue 16). Fairness: one run takes only the sessions pushed
// before it, each at most once, and at least one queued handler runs between two runs, so
// reading new requests is delayed by at most one answer per open connection, never starved.
class ReadyQueue {
 public:
  explicit ReadyQueue(boost::asio::io_context& io) : io_(io) {}
  ReadyQueue(const ReadyQueue&) = delete;
  ReadyQueue& operator=(const ReadyQueue&) = delete;

  // Any thread. Wakes the io thread if it waits for I/O.
  void Push(std::weak_ptr<Session> session);
  // The io thread, between handlers: resumes the sessions pushed before this call; returns
  // how many were pushed.
  std::size_t RunReady();

 private:
  boost::asio::io_context& io_;
  std::atomic<bool> pending_{false};
  std::mutex mu_;
  std::vector<std::weak_ptr<Session>> pushed_;   // guarded by mu_
  std::vector<std::weak_ptr<Session>> running_;  // io thread only
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
// thread, whose ReadyQueue is `ready`) and serves it until it closes — unless the
// connection caps refuse it (then it is closed at once; see server.h). With `tls`, the
// session first completes a TLS handshake under read_timeout (a failed one is logged at
// debug level and closes it).
void StartSession(boost::asio::ip::tcp::socket socket, ServerCore& core, ReadyQueue& ready,
                  std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

// Whether `session` may open under the connection caps; registers it (MarkRegistered) if
// so, and logs when a cap is hit (session_registry.cc). Requires core.mu. When the global
// cap is reached it claims a batch of the longest-idle sessions for eviction: the first
// `*evict` of `locked` are to be Evict()ed, and `locked` dropped, only after releasing
// core.mu (a session whose last owner that is unregisters itself under core.mu).
bool AdmitSession(ServerCore& core, const std::shared_ptr<Session>& session,
                  std::vector<std::shared_ptr<Session>>& locked, std::size_t* evict);

// Closes up to `count` of the connections that have waited longest for a request (idle
// keep-alive or slow senders); returns how many it asked to close. Thread-safe.
std::size_t EvictIdleSessions(ServerCore& core, std::size_t count);

// Asks every open session to finish (see Server::Stop). Thread-safe; does not wait.
void ShutdownSessions(ServerCore& core);

// After the io threads have stopped: AbandonDeferred on every session still open.
void AbandonSessions(ServerCore& core);

}  // namespace certfleet::http
