#include "http/session.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
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

#include "http/deferred_state.h"
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

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerCore& core) : stream_(std::move(socket)), core_(core) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
  }

  ~Session() {
    std::lock_guard lock(core_.mu);
    core_.sessions.erase(this);
    core_.sessions_changed.notify_all();
  }

  static asio::awaitable<void> Run(std::shared_ptr<Session> self) {
    while (!self->Stopping()) {
      if (!co_await self->ServeOne()) break;
    }
    beast::error_code ec;
    self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    self->stream_.socket().close(ec);
  }

  // Thread-safe: hops onto the session's executor.
  void Shutdown() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->shutdown_ = true;
      if (self->phase_ == Phase::kReading) {
        self->stream_.cancel();
      } else if (self->phase_ == Phase::kWaiting) {
        if (auto timer = self->deferral_timer_.lock()) timer->cancel();
      }
    });
  }

 private:
  enum class Phase { kReading, kHandling, kWaiting, kWriting };

  bool Stopping() const { return shutdown_ || core_.stopping.load(std::memory_order_relaxed); }

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
    std::optional<Response> response = AnswerFastPath(wire);
    if (!response) response = co_await Dispatch(std::move(wire));
    int status = response->status;
    keep_alive = keep_alive && !Stopping();
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
    // One deadline for the whole request, idle keep-alive wait included: a client that
    // trickles bytes (slowloris) cannot hold the connection longer than read_timeout.
    stream_.expires_after(core_.options.read_timeout);
    auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, kUseTuple);
    if (ec) co_return Classify(ec);
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
    stream_.expires_never();
    co_return ReadOutcome{};
  }

  // The router's segment fast path (router.h), answered without building a Request.
  std::optional<Response> AnswerFastPath(const WireRequest& wire) {
    if (wire.method() != bhttp::verb::get && wire.method() != bhttp::verb::head)
      return std::nullopt;
    const std::string_view target(wire.target().data(), wire.target().size());
    std::string_view segment;
    const SegmentHandler* handler = core_.router.FindFastPath(target, &segment);
    if (handler == nullptr) return std::nullopt;
    try {
      return (*handler)(segment);
    } catch (const std::exception& e) {
      return HandlerFailed(wire.method_string(), target, e.what());
    } catch (...) {
      return HandlerFailed(wire.method_string(), target, "unknown exception");
    }
  }

  asio::awaitable<Response> Dispatch(WireRequest wire) {
    std::vector<std::string> segments;
    Result<Request> request = ToRequest(std::move(wire), remote_address_, &segments);
    if (!request) co_return Response::JsonError(400, "bad_request", request.error().message);
    Router::Match match = core_.router.Find(request->method, segments);
    if (match.status == 404) {
      co_return Response::NotFound("no route for " + request->method + " " + request->path);
    }
    if (match.status == 405) {
      Response response = Response::JsonError(
          405, "method_not_allowed", request->method + " is not allowed on " + request->path);
      response.headers.Set("Allow", match.allow);
      co_return response;
    }
    request->path_params = std::move(match.params);
    if (!Router::IsAsync(*match.route)) co_return CallGuarded(*match.route, *request);
    co_return co_await CallDeferred(*match.route, *request);
  }

  Response CallGuarded(const Router::Route& route, const Request& request) {
    try {
      return Router::Call(route, request);
    } catch (const std::exception& e) {
      return HandlerFailed(request.method, request.path, e.what());
    } catch (...) {
      return HandlerFailed(request.method, request.path, "unknown exception");
    }
  }

  Response HandlerFailed(std::string_view method, std::string_view path, std::string_view what) {
    spdlog::error("{}: handler for {} {} threw: {}", core_.options.name, method, path, what);
    return Response::JsonError(500, "internal",
                               "internal error while handling " + std::string(method) + " " +
                                   std::string(path) + "; the server log has details");
  }

  asio::awaitable<Response> CallDeferred(const Router::Route& route, const Request& request) {
    auto timer = std::make_shared<asio::steady_timer>(stream_.get_executor());
    std::weak_ptr<asio::steady_timer> weak_timer = timer;
    auto wake = [executor = stream_.get_executor(), weak_timer] {
      asio::post(executor, [weak_timer] {
        if (auto t = weak_timer.lock()) t->cancel();
      });
    };
    auto timeout = core_.options.deferred_timeout;
    auto state = std::make_shared<DeferredState>(
        SteadyClock::now() + timeout,
        Response::JsonError(504, "deadline_exceeded",
                            "no answer for " + request.method + " " + request.path + " within " +
                                std::to_string(timeout.count()) + " ms"),
        std::move(wake));
    try {
      Router::CallAsync(route, request, Responder(state));
    } catch (const std::exception& e) {
      state->Send(HandlerFailed(request.method, request.path, e.what()));
    } catch (...) {
      state->Send(HandlerFailed(request.method, request.path, "unknown exception"));
    }
    co_return co_await AwaitDeferred(state, timer);
  }

  asio::awaitable<Response> AwaitDeferred(std::shared_ptr<DeferredState> state,
                                          std::shared_ptr<asio::steady_timer> timer) {
    phase_ = Phase::kWaiting;
    deferral_timer_ = timer;
    // If this frame is destroyed while waiting (io_context stopped after stop_grace), a
    // later Send must not post to the dead executor.
    struct DetachOnExit {
      DeferredState& state;
      ~DetachOnExit() { state.Detach(); }
    } detach{*state};
    while (true) {
      DeferredState::SteadyTime wait_until;
      if (auto response = state->Poll(Stopping(), SteadyClock::now(), &wait_until)) {
        phase_ = Phase::kHandling;
        co_return std::move(*response);
      }
      timer->expires_at(wait_until);
      co_await timer->async_wait(kUseTuple);
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
    stream_.expires_after(core_.options.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream_, buffers, kUseTuple);
    stream_.expires_never();
    co_return !ec;
  }

  // After rejecting a request whose body we did not read: stop sending, then read and
  // drop what the client still sends for a moment, so closing does not reset the
  // connection before the client has read our answer.
  asio::awaitable<void> Linger() {
    phase_ = Phase::kReading;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(1));
    std::array<char, 16 * 1024> scratch;
    std::size_t total = 0;
    while (total < 4 * core_.options.body_limit + 65536) {
      auto [read_ec, n] = co_await stream_.async_read_some(asio::buffer(scratch), kUseTuple);
      if (read_ec) break;
      total += n;
    }
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string head_buffer_;  // the response head being written; capacity reused
  ServerCore& core_;
  std::string remote_address_;
  Phase phase_ = Phase::kReading;
  bool shutdown_ = false;
  std::weak_ptr<asio::steady_timer> deferral_timer_;
};

void StartSession(tcp::socket socket, ServerCore& core) {
  auto executor = socket.get_executor();
  auto session = std::make_shared<Session>(std::move(socket), core);
  {
    std::lock_guard lock(core.mu);
    core.sessions.emplace(session.get(), session);
  }
  asio::co_spawn(executor, Session::Run(std::move(session)), asio::detached);
}

void ShutdownSessions(ServerCore& core) {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(core.mu);
    for (auto& [raw, weak] : core.sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (auto& session : open) session->Shutdown();
}

}  // namespace certfleet::http
