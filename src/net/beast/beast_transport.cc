#include "net/beast/beast_transport.h"

#include <atomic>
#include <mutex>
#include <vector>

#include "net/beast/beast_connection.h"

#ifndef CERTFLEET_VERSION
#define CERTFLEET_VERSION "dev"
#endif

namespace certfleet::net {

using internal::BeastConnection;
using internal::ParsedUrl;
using internal::SteadyTime;

namespace {

Error Cancelled(const HttpRequest& request) {
  return Error{ErrorCode::kUnavailable,
               request.method + " " + request.url + ": cancelled (the transport is shutting down)"};
}

}  // namespace

struct BeastTransport::State {
  BeastTransportOptions options;
  std::string user_agent;
  std::shared_ptr<internal::TlsClientConfig> tls;  // guarded by mu; see Tls()
  std::atomic<size_t> opened{0};
  std::mutex mu;
  // Idle keep-alive connections with their origin; the newest is at the back.
  std::vector<std::pair<std::string, std::unique_ptr<BeastConnection>>> idle;
  std::vector<BeastConnection*> in_flight;  // guarded by mu; see Cancel()
  bool cancelled = false;                   // guarded by mu

  // Registers `connection` as in flight; false when the transport is cancelled.
  bool Begin(BeastConnection* connection) {
    std::lock_guard lock(mu);
    if (cancelled) return false;
    in_flight.push_back(connection);
    return true;
  }
  void End(BeastConnection* connection) {
    std::lock_guard lock(mu);
    std::erase(in_flight, connection);
  }
  bool Cancelled() {
    std::lock_guard lock(mu);
    return cancelled;
  }

  std::unique_ptr<BeastConnection> TakeIdle(const std::string& origin) {
    std::lock_guard lock(mu);
    for (auto it = idle.rbegin(); it != idle.rend(); ++it) {
      if (it->first != origin) continue;
      auto connection = std::move(it->second);
      idle.erase(std::next(it).base());
      return connection;
    }
    return nullptr;
  }

  void GiveBack(const std::string& origin, std::unique_ptr<BeastConnection> connection) {
    std::lock_guard lock(mu);
    idle.emplace_back(origin, std::move(connection));
    if (idle.size() > options.max_idle_connections) idle.erase(idle.begin());  // the oldest
  }

  // The system trust store is loaded on the first https request, not at Create: it is
  // ~140 parsed certificates (about 1 MB of heap), which a client of a plain-http origin
  // (an agent talking to a hub on loopback) never needs. A ca_file is loaded at Create.
  Result<std::shared_ptr<internal::TlsClientConfig>> Tls() {
    std::lock_guard lock(mu);
    if (!tls) {
      auto created = internal::TlsClientConfig::Create(options.ca_file);
      if (!created) return Fail(created.error());
      tls = std::move(*created);
    }
    return tls;
  }

  Result<std::unique_ptr<BeastConnection>> Open(const ParsedUrl& url, SteadyTime deadline) {
    const SteadyTime connect_deadline =
        std::min(deadline, std::chrono::steady_clock::now() + options.connect_timeout);
    std::shared_ptr<internal::TlsClientConfig> tls_config;
    if (url.tls) {
      auto loaded = Tls();
      if (!loaded) return Fail(loaded.error());
      tls_config = std::move(*loaded);
    }
    auto connection = BeastConnection::Open(url, std::move(tls_config), connect_deadline);
    if (connection) opened.fetch_add(1, std::memory_order_relaxed);
    return connection;
  }
};

Result<std::unique_ptr<BeastTransport>> BeastTransport::Create(BeastTransportOptions options) {
  std::shared_ptr<internal::TlsClientConfig> tls;
  if (!options.ca_file.empty()) {  // an unusable ca_file is a configuration error: report it now
    auto loaded = internal::TlsClientConfig::Create(options.ca_file);
    if (!loaded) return Fail(loaded.error());
    tls = std::move(*loaded);
  }
  auto state = std::make_unique<State>();
  state->user_agent = options.user_agent.empty() ? std::string("certfleet/") + CERTFLEET_VERSION
                                                 : options.user_agent;
  state->options = std::move(options);
  state->tls = std::move(tls);
  return std::unique_ptr<BeastTransport>(new BeastTransport(std::move(state)));
}

BeastTransport::BeastTransport(std::unique_ptr<State> state) : state_(std::move(state)) {}
BeastTransport::~BeastTransport() = default;

void BeastTransport::Cancel() {
  std::lock_guard lock(state_->mu);
  state_->cancelled = true;
  for (BeastConnection* connection : state_->in_flight) connection->Interrupt();
  state_->idle.clear();
}

size_t BeastTransport::connections_opened() const {
  return state_->opened.load(std::memory_order_relaxed);
}

Result<HttpResponse> BeastTransport::Send(const HttpRequest& request) {
  auto url = internal::ParseHttpUrl(request.url);
  if (!url) return Fail(url.error());
  const std::string origin = url->OriginKey();
  const SteadyTime deadline = std::chrono::steady_clock::now() + state_->options.total_timeout;
  const auto named = [&request](const Error& error) {
    return error.WithContext(request.method + " " + request.url);
  };
  // Attempt 0 may use an idle connection; if that one turns out to be closed by the
  // server (nothing came back), attempt 1 uses a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto connection = attempt == 0 ? state_->TakeIdle(origin) : nullptr;
    const bool reused = connection != nullptr;
    if (!connection) {
      auto opened = state_->Open(*url, deadline);
      if (!opened) return Fail(named(opened.error()));
      connection = std::move(*opened);
    }
    if (!state_->Begin(connection.get())) return Fail(Cancelled(request));
    auto outcome = connection->Exchange(request, *url, state_->user_agent,
                                        state_->options.max_response_bytes, deadline);
    state_->End(connection.get());
    if (!outcome.response && state_->Cancelled()) return Fail(Cancelled(request));
    if (outcome.response) {
      if (outcome.keep_alive) state_->GiveBack(origin, std::move(connection));
      return std::move(outcome.response);
    }
    if (!(reused && outcome.nothing_received)) return Fail(named(outcome.response.error()));
  }
  return Fail(ErrorCode::kInternal,
              request.method + " " + request.url + ": no attempt left");  // unreachable
}

}  // namespace certfleet::net
