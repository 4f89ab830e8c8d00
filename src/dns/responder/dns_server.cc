#include "dns/responder/dns_server.h"

#include <mutex>

#include "dns/responder/counters.h"
#include "dns/responder/tcp_listener.h"
#include "dns/responder/udp_listener.h"

namespace certfleet::dns {

struct DnsServer::Impl {
  ServerAddress address;
  internal::ServerCounters counters;
  std::unique_ptr<ResponseRateLimiter> limiter;
  std::unique_ptr<internal::UdpListener> udp;
  std::unique_ptr<internal::TcpListener> tcp;
  std::once_flag stopped;
};

namespace {

constexpr int kPortAttempts = 8;  // port 0: UDP's port may be taken for TCP; try again

// Binds UDP, then TCP on the same port. With port 0 a port whose TCP side is taken is
// given up and another tried.
Status BindBoth(DnsServer::Impl& impl, const ServerAddress& requested,
                const DnsServerOptions& options) {
  const internal::TcpLimits limits{options.tcp_idle_timeout, options.max_tcp_connections,
                                   options.max_tcp_per_source};
  Error last{ErrorCode::kIo, "DNS responder: no port found"};
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    auto udp = internal::UdpListener::Bind(requested, options.udp_threads);
    if (!udp) return Fail(udp.error());
    ServerAddress bound = requested;
    bound.port = (*udp)->port();
    auto tcp = internal::TcpListener::Bind(bound, limits);
    if (tcp) {
      impl.address = bound;
      impl.udp = std::move(*udp);
      impl.tcp = std::move(*tcp);
      return Ok();
    }
    last = tcp.error();
    if (requested.port != 0) break;
  }
  return Fail(last);
}

}  // namespace

Result<std::unique_ptr<DnsServer>> DnsServer::Start(DnsServerOptions options,
                                                    const ZoneAnswerer& answerer) {
  auto address = ParseListenAddress(options.listen);
  if (!address) return Fail(address.error().WithContext("DNS responder"));
  auto impl = std::make_unique<Impl>();
  impl->limiter = std::make_unique<ResponseRateLimiter>(options.rate_limit);
  if (auto bound = BindBoth(*impl, *address, options); !bound) return Fail(bound.error());
  impl->udp->Start(answerer, *impl->limiter, impl->counters);
  impl->tcp->Start(answerer, impl->counters);
  return std::unique_ptr<DnsServer>(new DnsServer(std::move(impl)));
}

DnsServer::DnsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DnsServer::~DnsServer() { Stop(); }

std::uint16_t DnsServer::port() const { return impl_->address.port; }

ServerAddress DnsServer::address() const { return impl_->address; }

DnsServerStats DnsServer::stats() const {
  const internal::ServerCounters& c = impl_->counters;
  return {c.udp_queries.load(), c.udp_answered.load(),    c.udp_slipped.load(),
          c.udp_dropped.load(), c.tcp_connections.load(), c.tcp_refused.load(),
          c.tcp_queries.load()};
}

void DnsServer::Stop() {
  std::call_once(impl_->stopped, [impl = impl_.get()] {
    impl->udp->Stop();
    impl->tcp->Stop();
  });
}

}  // namespace certfleet::dns
