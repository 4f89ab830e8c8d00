#include "store/postgres/pg_listener.h"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
#include <cstdlib>
#include <memory>

namespace certfleet::store::postgres {
namespace {

constexpr auto kMinBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(5000);
constexpr int kPollMillis = 100;

}  // namespace

PgListener::PgListener(ConnParams params, std::function<void(Revision)> on_commit)
    : params_(std::move(params)), on_commit_(std::move(on_commit)), thread_([this] { Run(); }) {}

PgListener::~PgListener() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

bool PgListener::Pump(PgConnection& conn) {
  pg_conn* handle = conn.handle();
  pollfd fd{PQsocket(handle), POLLIN, 0};
  if (fd.fd < 0) return false;
  const int ready = ::poll(&fd, 1, kPollMillis);
  if (ready < 0) return true;  // EINTR: try again
  if (ready > 0 && PQconsumeInput(handle) == 0) return false;
  while (PGnotify* n = PQnotifies(handle)) {
    const Revision revision = n->extra != nullptr ? std::strtoll(n->extra, nullptr, 10) : 0;
    PQfreemem(n);
    if (!stop_) on_commit_(revision);
  }
  return PQstatus(handle) == CONNECTION_OK;
}

void PgListener::Run() {
  auto backoff = kMinBackoff;
  bool reconnected = false;
  while (!stop_) {
    auto conn = PgConnection::Open(params_);
    if (conn && (*conn)->Exec(std::string("LISTEN ") + kEventsChannel, "listening for commits")) {
      listening_ = true;
      backoff = kMinBackoff;
      if (reconnected && !stop_) on_commit_(0);  // we may have missed some: re-read
      while (!stop_ && Pump(**conn)) {
      }
      listening_ = false;
      reconnected = true;
      continue;
    }
    reconnected = true;
    // Sleep in small steps so the destructor never waits long.
    const auto until = std::chrono::steady_clock::now() + backoff;
    while (!stop_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    backoff =
        std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxBackoff));
  }
}

}  // namespace certfleet::store::postgres
