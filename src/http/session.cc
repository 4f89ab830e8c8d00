#include "http/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdio>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include "http/deferred_state.h"
#include "http/dispatch.h"
#include "http/response_head.h"
#include "http/wire_request.h"

namespace certfleet::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Parser = bhttp::request_parser<bhttp::string_body>;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// The outcome of reading one request.
struct ReadOutcome {
  bool closed = false;             // the peer left, timed out, or we are stopping
  std::optional<Response> reject;  // answer this and close (400, 413, 431)
};

ReadOutcome Classify(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) {
    return {false, Response::JsonError(413, "payload_too_large", "the request body is too large")};
  }
  if (ec == bhttp::error::header_limit) {
    return {false,
            Response::JsonError(431, "header_too_large", "the request headers are too large")};
  }
  bool parse_error = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                     ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
  if (parse_error) {
    return {false,
            Response::JsonError(400, "bad_request", "malformed HTTP request: " + ec.message())};
  }
  return {true, std::nullopt};
}

}  // namespace

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// The stream's TCP layer (expiry, cancel, socket), for either stream type.
beast::tcp_stream& Tcp(PlainStream& s) { return s; }
beast::tcp_stream& Tcp(TlsStream& s) { return s.next_layer(); }

// A connection over a plain or a TLS stream (the one template behind Session).
template <typename Stream>
class SessionT final : public Session, public std::enable_shared_from_this<SessionT<Stream>> {
 public:
  // `context` (TLS only) is kept alive for as long as the stream uses it.
  SessionT(Stream stream, ServerCore& core, ReadyQueue& ready,
           std::shared_ptr<asio::ssl::context> context)
      : context_(std::move(context)), stream_(std::move(stream)), core_(core), ready_(ready) {
    beast::error_code ec;
    auto endpoint = Tcp(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
    // From accept on, it waits for its first request (and may be evicted as idle).
    waiting_since_.store(SteadyClock::now().time_since_epoch().count(), std::memory_order_relaxed);
  }

  ~SessionT() override {
    if (!registered_) return;  // refused by the caps: never counted
    std::lock_guard lock(core_.mu);
    core_.sessions.erase(this);
    if (evicting_) --core_.evicting;
    if (auto it = core_.per_address.find(remote_address_); it != core_.per_address.end()) {
      if (--it->second == 0) core_.per_address.erase(it);
    }
    core_.sessions_changed.notify_all();
  }

  const std::string& remote_address() const override { return remote_address_; }
  // Called (under core.mu) once the session is counted in core.sessions and per_address.
  void MarkRegistered() override { registered_ = true; }

  // Since when (steady clock ticks) this connection waits for a request that has not
  // fully arrived; 0 while it serves one. Read from any thread.
  std::int64_t waiting_since() const override {
    return waiting_since_.load(std::memory_order_relaxed);
  }
  // Claims the session for eviction (requires core.mu): true once per wait (false when it
  // has started serving a request, or was claimed already). Counted in core.evicting
  // until it closes or Evict() finds it busy.
  bool ClaimForEviction(std::int64_t seen_since) override {
    if (seen_since == 0 || !waiting_since_.compare_exchange_strong(seen_since, 0)) return false;
    evicting_ = true;
    ++core_.evicting;
    return true;
  }

  // Thread-safe: closes the connection if it still waits for a request; a connection that
  // has a request by now is left alone (and no longer counted as closing).
  void Evict() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->phase_ == Phase::kReading && !self->request_started_) {
        self->shutdown_ = true;
        Tcp(self->stream_).cancel();
        return;
      }
      std::lock_guard lock(self->core_.mu);
      if (std::exchange(self->evicting_, false)) --self->core_.evicting;
    });
  }

  static asio::awaitable<void> Run(std::shared_ptr<SessionT> self) {
    if (co_await self->Handshake()) {
      while (!self->Stopping()) {
        if (!co_await self->ServeOne()) break;
      }
    }
    beast::error_code ec;
    Tcp(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    Tcp(self->stream_).socket().close(ec);
  }

  // Thread-safe: hops onto the session's executor.
  void Shutdown() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->shutdown_ = true;
      if (self->phase_ == Phase::kReading) {
        Tcp(self->stream_).cancel();
      } else if (self->phase_ == Phase::kWaiting) {
        self->ResumeDeferred();  // answers 503
      }
    });
  }

  // The io thread: resumes AwaitDeferred if it waits (its coroutine runs inline, up to its
  // next suspension: the answer is written now if the socket takes it).
  void ResumeDeferred() override {
    if (!resume_) return;
    auto resume = std::move(*resume_);
    resume_.reset();
    std::move(resume)();
  }

  // Its io thread has stopped: the suspended coroutine (which owns this session) is
  // handed back to the io_context, which destroys it with itself.
  void AbandonDeferred() override { resume_.reset(); }

 private:
  enum class Phase { kReading, kHandling, kWaiting, kWriting };

  bool Stopping() const { return shutdown_ || core_.stopping.load(std::memory_order_relaxed); }

  // TLS: the server handshake, bounded by read_timeout. Plain: nothing to do.
  asio::awaitable<bool> Handshake() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      phase_ = Phase::kReading;
      Tcp(stream_).expires_after(core_.options.read_timeout);
      auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kUseTuple);
      Tcp(stream_).expires_never();
      if (ec) {
        spdlog::debug("{}: TLS handshake with {} failed: {}", core_.options.name, remote_address_,
                      ec.message());
        co_return false;
      }
    }
    co_return true;
  }

  // Serves one request; returns whether the connection stays open for the next.
  asio::awaitable<bool> ServeOne() {
    Parser parser;
    parser.header_limit(core_.options.header_limit);
    parser.body_limit(core_.options.body_limit);
    ReadOutcome read = co_await ReadRequest(parser);
    if (read.closed) co_return false;
    if (read.reject) {
      co_await Write(std::move(*read.reject), false, false, 11);
      co_await Linger();
      co_return false;
    }
    auto started = SteadyClock::now();
    WireRequest wire = parser.release();
    bool keep_alive = wire.keep_alive();
    bool head = wire.method() == bhttp::verb::head;
    unsigned version = wire.version();
    // Copied only when access lines are logged: this is the hot path of the HTTP-01
    // responder under load.
    bool log_access = spdlog::should_log(spdlog::level::debug);
    std::string method = log_access ? std::string(wire.method_string()) : std::string();
    std::string target = log_access ? std::string(wire.target()) : std::string();
    phase_ = Phase::kHandling;
    // No co_await inside a conditional expression: GCC 12 destroys its temporaries early.
    std::optional<Response> response = AnswerFastPath(core_.router, core_.options.name, wire);
    if (!response) response = co_await Dispatch(std::move(wire));
    if (peer_gone_) {
      spdlog::debug("{}: {} left while its request waited; closing", core_.options.name,
                    remote_address_);
      co_return false;
    }
    int status = response->status;
    keep_alive = keep_alive && !Stopping() && !(response->body_stream && version == 10);
    bool written = co_await Write(std::move(*response), keep_alive, head, version);
    if (log_access) {
      auto micros =
          std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started);
      spdlog::debug("{}: {} {} {} -> {} in {} us", core_.options.name, remote_address_, method,
                    target, status, micros.count());
    }
    co_return written&& keep_alive;
  }

  asio::awaitable<ReadOutcome> ReadRequest(Parser& parser) {
    phase_ = Phase::kReading;
    request_started_ = false;
    waiting_since_.store(SteadyClock::now().time_since_epoch().count(), std::memory_order_relaxed);
    // One deadline for the whole request, idle keep-alive wait included: a client that
    // trickles bytes (slowloris) cannot hold the connection longer than read_timeout.
    Tcp(stream_).expires_after(core_.options.read_timeout);
    auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, kUseTuple);
    if (ec) co_return Classify(ec);
    if (!parser.is_done() && core_.options.admit_body) {
      // Before any of the body (and before "100 Continue"): who may send one, how much.
      if (auto refused = AdmitBody(parser)) co_return ReadOutcome{false, std::move(refused)};
    }
    // Admitted: no longer a candidate for eviction (a slow body is still bounded by
    // read_timeout).
    request_started_ = true;
    waiting_since_.store(0, std::memory_order_relaxed);
    if (!parser.is_done()) {
      auto expect = parser.get()[bhttp::field::expect];
      if (EqualsIgnoreCase(std::string_view(expect.data(), expect.size()), "100-continue")) {
        bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
        auto [write_ec, written] = co_await bhttp::async_write(stream_, go_on, kUseTuple);
        if (write_ec) co_return ReadOutcome{true, std::nullopt};
      }
      auto [body_ec, body_n] = co_await bhttp::async_read(stream_, buffer_, parser, kUseTuple);
      if (body_ec) co_return Classify(body_ec);
    }
    Tcp(stream_).expires_never();
    co_return ReadOutcome{};
  }

  // ServerOptions::admit_body for the request whose header `parser` holds; a response
  // when the body must not be read.
  std::optional<Response> AdmitBody(Parser& parser) {
    std::vector<std::string> segments;
    Result<Request> head = ToRequest(WireRequest(parser.get()), remote_address_, &segments);
    if (!head) return Response::JsonError(400, "bad_request", head.error().message);
    BodyAdmission admission;
    try {
      admission = core_.options.admit_body(*head);
    } catch (const std::exception& e) {
      return HandlerFailed(core_.options.name, head->method, head->path, e.what());
    }
    if (admission.reject) return std::move(admission.reject);
    // Beast checks Content-Length against the limit only when the header completes.
    const auto length = parser.content_length();
    if (length && *length > admission.body_limit) {
      return Response::JsonError(413, "payload_too_large", "the request body is too large");
    }
    parser.body_limit(admission.body_limit);
    return std::nullopt;
  }

  asio::awaitable<Response> Dispatch(WireRequest wire) {
    Routed routed =
        RouteRequest(core_.router, core_.options.name, std::move(wire), remote_address_);
    if (routed.response) co_return std::move(*routed.response);
    co_return co_await CallDeferred(*routed.deferred, routed.request);
  }

  asio::awaitable<Response> CallDeferred(const Router::Route& route, const Request& request) {
    // Any thread: the answer, a new deadline. The io thread resumes this session before it
    // runs its next handler (ReadyQueue).
    auto wake = [&ready = ready_, weak = std::weak_ptr<Session>(this->shared_from_this())] {
      ready.Push(weak);
    };
    auto timeout = core_.options.deferred_timeout;
    auto state =
        std::make_shared<DeferredState>(SteadyClock::now() + timeout, std::nullopt,
                                        "no answer for " + request.method + " " + request.path +
                                            " within " + std::to_string(timeout.count()) + " ms",
                                        std::move(wake));
    try {
      Router::CallAsync(route, request, Responder(state));
    } catch (const std::exception& e) {
      state->Send(HandlerFailed(core_.options.name, request.method, request.path, e.what()));
    } catch (...) {
      state->Send(
          HandlerFailed(core_.options.name, request.method, request.path, "unknown exception"));
    }
    co_return co_await AwaitDeferred(state);
  }

  // Suspends until ResumeDeferred (a wake, the timer, Shutdown) resumes it; the handler is
  // kept in resume_, not in the io_context's queue, so a wake resumes it without waiting
  // behind the handlers queued there.
  auto WaitForResume() {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
        [this](auto handler) { resume_.emplace(std::move(handler)); }, asio::use_awaitable);
  }

  asio::awaitable<Response> AwaitDeferred(std::shared_ptr<DeferredState> state) {
    phase_ = Phase::kWaiting;
    asio::steady_timer timer(stream_.get_executor());
    // If this frame is destroyed while waiting (io_context stopped after stop_grace), the
    // request is done: a later Send finds it so and wakes nobody.
    struct DetachOnExit {
      DeferredState& state;
      ~DetachOnExit() { state.Detach(); }
    } detach{*state};
    while (true) {
      DeferredState::SteadyTime wait_until;
      const auto now = SteadyClock::now();
      if (auto response = state->Poll(Stopping(), now, &wait_until)) {
        phase_ = Phase::kHandling;
        co_return std::move(*response);
      }
      // Nothing is read while waiting, so look at the TCP state now and then: a client
      // that left (a long-poll it abandoned) frees its connection within the interval.
      if (PeerHasClosed(Tcp(stream_).socket().native_handle())) {
        peer_gone_ = true;
        phase_ = Phase::kHandling;
        co_return Response::NoContent();  // not written: ServeOne closes instead
      }
      // The deadline or the next peer check resumes it too. A completion of an earlier
      // arming (already queued when it was re-armed) is told apart by its generation.
      timer.expires_at(std::min(wait_until, now + core_.options.peer_check_interval));
      timer.async_wait([weak = this->weak_from_this(),
                        generation = ++wait_generation_](const beast::error_code& ec) {
        auto self = weak.lock();
        if (ec || !self || self->wait_generation_ != generation) return;
        self->ResumeDeferred();
      });
      co_await WaitForResume();
    }
  }

  // The head is serialized into a buffer the session keeps (no allocation once warm) and
  // sent with the body in one gather write.
  asio::awaitable<bool> Write(Response response, bool keep_alive, bool head, unsigned version) {
    phase_ = Phase::kWriting;
    head_buffer_.clear();
    AppendResponseHead(response, keep_alive, version, head_buffer_);
    const bool send_body = !head && !StatusHasNoBody(response.status);
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head_buffer_), send_body ? asio::buffer(response.body) : asio::const_buffer()};
    if (response.body_stream) co_return co_await WriteStreamed(response, send_body, version);
    Tcp(stream_).expires_after(core_.options.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream_, buffers, kUseTuple);
    Tcp(stream_).expires_never();
    co_return !ec;
  }

  // The head, then each part of response.body_stream as one chunk (HTTP/1.1) or raw (1.0).
  // write_timeout applies to each write, so a large body may take longer in all.
  asio::awaitable<bool> WriteStreamed(Response& response, bool send_body, unsigned version) {
    std::string part;
    bool more = send_body;
    bool first = true;
    while (true) {
      std::string frame;
      if (first) frame.swap(head_buffer_);
      part.clear();
      if (more) more = response.body_stream(part);
      const bool chunked = version != 10 && send_body;
      if (chunked && !part.empty()) {
        char size[20];
        frame.append(size, static_cast<std::size_t>(
                               std::snprintf(size, sizeof size, "%zx\r\n", part.size())));
      }
      const std::array<asio::const_buffer, 3> buffers{
          asio::buffer(frame), asio::buffer(part),
          asio::buffer(chunked ? std::string_view(!part.empty() && !more ? "\r\n0\r\n\r\n"
                                                  : !part.empty()        ? "\r\n"
                                                  : !more                ? "0\r\n\r\n"
                                                                         : "")
                               : std::string_view())};
      Tcp(stream_).expires_after(core_.options.write_timeout);
      auto [ec, n] = co_await asio::async_write(stream_, buffers, kUseTuple);
      Tcp(stream_).expires_never();
      if (first) head_buffer_.swap(frame);
      first = false;
      if (ec) co_return false;
      if (!more) co_return true;
    }
  }

  // After rejecting a request whose body we did not read: stop sending, then read and
  // drop what the client still sends for a moment, so closing does not reset the
  // connection before the client has read our answer.
  asio::awaitable<void> Linger() {
    phase_ = Phase::kReading;
    beast::error_code ec;
    Tcp(stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
    Tcp(stream_).expires_after(std::chrono::seconds(1));
    std::array<char, 16 * 1024> scratch;
    std::size_t total = 0;
    while (total < 4 * core_.options.body_limit + 65536) {
      auto [read_ec, n] = co_await stream_.async_read_some(asio::buffer(scratch), kUseTuple);
      if (read_ec) break;
      total += n;
    }
  }

  std::shared_ptr<asio::ssl::context> context_;  // declared before stream_: outlives it
  Stream stream_;
  beast::flat_buffer buffer_;
  std::string head_buffer_;  // the response head being written; capacity reused
  ServerCore& core_;
  ReadyQueue& ready_;  // of this session's io thread
  std::string remote_address_;
  Phase phase_ = Phase::kReading;
  bool shutdown_ = false;
  bool registered_ = false;       // counted in the core's registry (see MarkRegistered)
  bool evicting_ = false;         // claimed for eviction (guarded by core_.mu)
  bool request_started_ = false;  // the current request's header arrived and was admitted
  bool peer_gone_ = false;        // the client closed while its deferred request waited
  std::atomic<std::int64_t> waiting_since_{0};
  // Set while AwaitDeferred is suspended: resuming it (ResumeDeferred) continues the request.
  std::optional<asio::any_completion_handler<void()>> resume_;
  std::uint64_t wait_generation_ = 0;  // AwaitDeferred's timer armings
};

namespace {

template <typename Stream>
void Spawn(Stream stream, asio::any_io_executor executor, ServerCore& core, ReadyQueue& ready,
           std::shared_ptr<asio::ssl::context> context) {
  auto session =
      std::make_shared<SessionT<Stream>>(std::move(stream), core, ready, std::move(context));
  std::vector<std::shared_ptr<Session>> locked;  // released only outside core.mu
  std::size_t evict = 0;
  bool admitted = false;
  {
    std::lock_guard lock(core.mu);
    admitted = AdmitSession(core, session, locked, &evict);
  }
  for (std::size_t i = 0; i < evict; ++i) locked[i]->Evict();
  // A refused session closes its socket when `session` goes out of scope; its destructor
  // finds nothing registered.
  if (admitted) {
    asio::co_spawn(executor, SessionT<Stream>::Run(std::move(session)), asio::detached);
  }
}

}  // namespace

void StartSession(tcp::socket socket, ServerCore& core, ReadyQueue& ready,
                  std::shared_ptr<asio::ssl::context> tls) {
  auto executor = socket.get_executor();
  if (!tls) {
    Spawn(PlainStream(std::move(socket)), executor, core, ready, nullptr);
    return;
  }
  // A TLS reload swaps the server's context for new connections; this one keeps its own.
  TlsStream stream(std::move(socket), *tls);
  Spawn(std::move(stream), executor, core, ready, std::move(tls));
}

}  // namespace certfleet::http
