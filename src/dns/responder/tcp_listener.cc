#include "dns/responder/tcp_listener.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace certfleet::dns::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr int kMaxQueriesPerConnection = 1000;

}  // namespace

struct TcpListener::Impl {
  TcpLimits limits;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::once_flag stopped;
  // Open connections per source address; touched only on the io thread.
  std::map<std::string, int> per_source;
  int open = 0;

  asio::awaitable<void> Accept(const ZoneAnswerer& answerer, ServerCounters& counters);
  asio::awaitable<void> Serve(beast::tcp_stream stream, std::string source,
                              const ZoneAnswerer& answerer, ServerCounters& counters);
  bool Admit(const std::string& source);
  void Release(const std::string& source);
};

bool TcpListener::Impl::Admit(const std::string& source) {
  if (open >= limits.max_connections || per_source[source] >= limits.max_per_source) {
    if (per_source[source] == 0) per_source.erase(source);
    return false;
  }
  ++open;
  ++per_source[source];
  return true;
}

void TcpListener::Impl::Release(const std::string& source) {
  --open;
  if (--per_source[source] <= 0) per_source.erase(source);
}

asio::awaitable<void> TcpListener::Impl::Serve(beast::tcp_stream stream, std::string source,
                                               const ZoneAnswerer& answerer,
                                               ServerCounters& counters) {
  std::array<unsigned char, 2> prefix{};
  std::string query;
  std::string reply;
  for (int served = 0; served < kMaxQueriesPerConnection; ++served) {
    stream.expires_after(limits.idle_timeout);
    auto [ec, n] = co_await asio::async_read(stream, asio::buffer(prefix), kUseTuple);
    if (ec) break;
    query.resize(static_cast<std::size_t>(prefix[0] << 8 | prefix[1]));
    if (query.empty()) break;
    std::tie(ec, n) = co_await asio::async_read(stream, asio::buffer(query), kUseTuple);
    if (ec) break;
    ServerCounters::Bump(counters.tcp_queries);
    if (!answerer.Answer(query, Transport::kTcp, &reply)) continue;
    std::array<unsigned char, 2> length{static_cast<unsigned char>(reply.size() >> 8),
                                        static_cast<unsigned char>(reply.size() & 0xff)};
    std::array<asio::const_buffer, 2> parts{asio::buffer(length), asio::buffer(reply)};
    std::tie(ec, n) = co_await asio::async_write(stream, parts, kUseTuple);
    if (ec) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  Release(source);
}

asio::awaitable<void> TcpListener::Impl::Accept(const ZoneAnswerer& answerer,
                                                ServerCounters& counters) {
  while (acceptor.is_open()) {
    auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
    if (ec) continue;  // e.g. EMFILE: keep serving the connections we have
    boost::system::error_code peer_ec;
    const std::string source = socket.remote_endpoint(peer_ec).address().to_string();
    if (peer_ec) continue;
    ServerCounters::Bump(counters.tcp_connections);
    if (!Admit(source)) {
      ServerCounters::Bump(counters.tcp_refused);
      continue;  // the socket closes as it goes out of scope
    }
    asio::co_spawn(io, Serve(beast::tcp_stream(std::move(socket)), source, answerer, counters),
                   asio::detached);
  }
}

Result<std::unique_ptr<TcpListener>> TcpListener::Bind(const ServerAddress& address,
                                                       TcpLimits limits) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address(address.ip, ec), address.port);
  if (!ec) impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(ErrorCode::kIo,
                "DNS responder: binding TCP " + address.ToString() + ": " + ec.message());
  }
  return std::unique_ptr<TcpListener>(new TcpListener(std::move(impl)));
}

TcpListener::TcpListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TcpListener::~TcpListener() { Stop(); }

void TcpListener::Start(const ZoneAnswerer& answerer, ServerCounters& counters) {
  asio::co_spawn(impl_->io, impl_->Accept(answerer, counters), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

void TcpListener::Stop() {
  std::call_once(impl_->stopped, [impl = impl_.get()] {
    asio::post(impl->io, [impl] {
      boost::system::error_code ignored;
      impl->acceptor.close(ignored);
    });
    impl->io.stop();
    if (impl->thread.joinable()) impl->thread.join();
  });
}

}  // namespace certfleet::dns::internal
