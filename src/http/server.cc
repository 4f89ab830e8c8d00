#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <optional>
#include <string>
#include <thread>

#include "http/session.h"
#include "http/tls_context.h"

namespace certfleet::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Parses "HOST:PORT", "[V6]:PORT" or "localhost:PORT" into an endpoint.
Result<tcp::endpoint> ParseListen(std::string_view listen) {
  auto bad = [&](std::string_view why) {
    return Fail(ErrorCode::kInvalidArgument, "listen address \"" + std::string(listen) +
                                                 "\": " + std::string(why) +
                                                 " (expected HOST:PORT, e.g. 127.0.0.1:8080)");
  };
  size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) return bad("no port");
  std::string host(listen.substr(0, colon));
  std::string port_text(listen.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (host.empty()) host = "0.0.0.0";
  unsigned long port = 0;
  try {
    size_t used = 0;
    port = std::stoul(port_text, &used);
    if (used != port_text.size() || port > 65535) return bad("port is not a number 0-65535");
  } catch (const std::exception&) {
    return bad("port is not a number 0-65535");
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return bad("host is not an IP address");
  return tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

}  // namespace

struct Server::Impl {
  // One io_context per io thread, each told it runs on one thread: a connection lives on one
  // context for its whole life, so its handlers are serialized without a strand, and the
  // threads share no reactor, queue or lock (the layout of nginx's workers). The acceptor
  // runs on the first context and deals connections out in turn. Each thread also has a
  // ReadyQueue (session.h) of answered deferred requests, which it writes first.
  Impl(ServerOptions options, Router router) : core(std::move(options), std::move(router)) {
    const int count = std::max(1, core.options.io_threads);
    for (int i = 0; i < count; ++i) {
      ios.push_back(std::make_unique<asio::io_context>(1));
      ready.push_back(std::make_unique<ReadyQueue>(*ios.back()));
      // A context whose connections have all closed must not return from run_one().
      work.push_back(asio::make_work_guard(*ios.back()));
    }
    acceptor.emplace(*ios.front());
  }

  Status Listen(const tcp::endpoint& endpoint);
  asio::awaitable<void> AcceptLoop();
  void RunThread(asio::io_context& io, ReadyQueue& answers);

  ServerCore core;
  // Declared before ios: sessions destroyed with their io_context may still name theirs.
  std::vector<std::unique_ptr<ReadyQueue>> ready;
  std::vector<std::unique_ptr<asio::io_context>> ios;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::size_t next_io = 0;  // used by the accept loop only
  LogLimiter accept_error_log;
  tcp::endpoint bound;
  std::vector<std::thread> threads;
  bool accept_done = false;  // guarded by core.mu
  std::mutex stop_mu;
  bool stopped = false;  // guarded by stop_mu
  std::mutex tls_mu;
  std::shared_ptr<asio::ssl::context> tls;  // guarded by tls_mu; null without TLS

  std::shared_ptr<asio::ssl::context> CurrentTls() {
    std::lock_guard lock(tls_mu);
    return tls;
  }
};

Status Server::Impl::Listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  auto fail = [&](std::string_view step) {
    return Fail(ErrorCode::kIo, core.options.name + ": cannot " + std::string(step) + " " +
                                    core.options.listen + ": " + ec.message());
  };
  if (acceptor->open(endpoint.protocol(), ec)) return fail("open a socket for");
  if (acceptor->set_option(tcp::acceptor::reuse_address(true), ec)) return fail("configure");
  if (acceptor->bind(endpoint, ec)) return fail("bind");
  if (acceptor->listen(asio::socket_base::max_listen_connections, ec)) return fail("listen on");
  bound = acceptor->local_endpoint(ec);
  if (ec) return fail("read the bound address of");
  return Ok();
}

asio::awaitable<void> Server::Impl::AcceptLoop() {
  while (!core.stopping) {
    const std::size_t lane = next_io++ % ios.size();
    auto [ec, socket] = co_await acceptor->async_accept(ios[lane]->get_executor(), kUseTuple);
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) break;
    if (ec) {
      // Out of file descriptors: make room by closing idle connections, then retry; other
      // errors: back off briefly instead of spinning. Logged at most once per 10 s.
      const bool out_of_files = ec == asio::error::no_descriptors || ec.value() == ENFILE ||
                                ec == asio::error::no_buffer_space;
      const std::size_t evicted = out_of_files ? EvictIdleSessions(core, 32) : 0;
      if (std::size_t n = accept_error_log.Pass()) {
        spdlog::warn("{}: accept on {} failed: {}{}; {} failure(s) since the last warning",
                     core.options.name, core.options.listen, ec.message(),
                     out_of_files ? " (raise LimitNOFILE or lower max_connections; closed " +
                                        std::to_string(evicted) + " idle connection(s))"
                                  : "",
                     n);
      }
      asio::steady_timer pause(acceptor->get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    StartSession(std::move(socket), core, *ready[lane], CurrentTls());
  }
  std::lock_guard lock(core.mu);
  accept_done = true;
  core.sessions_changed.notify_all();
}

void Server::Impl::RunThread(asio::io_context& io, ReadyQueue& answers) {
  try {
    // One handler at a time, and before each the answers that became ready (ReadyQueue):
    // a request already read is answered before more are read.
    do {
      answers.RunReady();
    } while (io.run_one() > 0);
  } catch (const std::exception& e) {
    spdlog::error("{}: io thread stopped by an exception: {}", core.options.name, e.what());
  }
}

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, Router router) {
  auto endpoint = ParseListen(options.listen);
  if (!endpoint) return Fail(endpoint.error().WithContext(options.name));
  std::shared_ptr<asio::ssl::context> tls;
  if (options.tls) {
    auto context = MakeServerTlsContext(options.tls->cert_file, options.tls->key_file);
    if (!context) return Fail(context.error().WithContext(options.name));
    tls = std::move(*context);
  }
  auto impl = std::make_unique<Impl>(std::move(options), std::move(router));
  impl->tls = std::move(tls);
  if (auto listening = impl->Listen(*endpoint); !listening) return Fail(listening.error());
  asio::co_spawn(impl->acceptor->get_executor(), impl->AcceptLoop(), asio::detached);
  for (std::size_t i = 0; i < impl->ios.size(); ++i) {
    impl->threads.emplace_back(
        [raw = impl.get(), context = impl->ios[i].get(), answers = impl->ready[i].get()] {
          raw->RunThread(*context, *answers);
        });
  }
  spdlog::info("{}: listening on {}:{}{} (at most {} connections, {} per address)",
               impl->core.options.name, impl->bound.address().to_string(), impl->bound.port(),
               impl->tls ? " with TLS 1.2+" : "", impl->core.max_connections,
               impl->core.options.max_connections_per_address);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

std::uint16_t Server::port() const { return impl_->bound.port(); }

std::string Server::BaseUrl() const {
  auto address = impl_->bound.address();
  std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return (impl_->core.options.tls ? "https://" : "http://") + host + ":" +
         std::to_string(impl_->bound.port());
}

Status Server::ReloadTls() {
  const auto& tls = impl_->core.options.tls;
  if (!tls) {
    return Fail(ErrorCode::kInvalidArgument, impl_->core.options.name + ": TLS is not configured");
  }
  auto context = MakeServerTlsContext(tls->cert_file, tls->key_file);
  if (!context) return Fail(context.error().WithContext(impl_->core.options.name));
  std::lock_guard lock(impl_->tls_mu);
  impl_->tls = std::move(*context);
  return Ok();
}

void Server::Stop() {
  std::lock_guard stop_lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  ServerCore& core = impl_->core;
  core.stopping = true;
  asio::post(impl_->acceptor->get_executor(), [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor->close(ignored);
  });
  ShutdownSessions(core);
  {
    std::unique_lock lock(core.mu);
    bool drained = core.sessions_changed.wait_for(
        lock, core.options.stop_grace, [&] { return core.sessions.empty() && impl_->accept_done; });
    if (!drained) {
      spdlog::warn("{}: {} connection(s) still open after {} ms; closing them", core.options.name,
                   core.sessions.size(), core.options.stop_grace.count());
    }
  }
  for (auto& io : impl_->ios) io->stop();
  for (std::thread& thread : impl_->threads) thread.join();
  // Deferred requests still waiting (cut after stop_grace): their coroutines go back to the
  // io_contexts, which destroy them.
  AbandonSessions(core);
  spdlog::info("{}: stopped", core.options.name);
}

}  // namespace certfleet::http
