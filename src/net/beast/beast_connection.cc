#include "net/beast/beast_connection.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <optional>
#include <vector>

namespace certfleet::net::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using WireRequest = http::request<http::string_body>;

Error StepError(const std::string& step, const beast::error_code& ec) {
  if (ec == beast::error::timeout) return Error{ErrorCode::kDeadlineExceeded, step + ": timed out"};
  return Error{ErrorCode::kUnavailable, step + ": " + ec.message()};
}

bool IsIpAddress(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

Result<std::vector<tcp::endpoint>> Resolve(asio::io_context& ioc, const ParsedUrl& url) {
  beast::error_code ec;
  auto address = asio::ip::make_address(url.host, ec);
  if (!ec) return std::vector<tcp::endpoint>{tcp::endpoint(address, url.port)};
  tcp::resolver resolver(ioc);  // a name: getaddrinfo (bounded by the resolver's own timeouts)
  auto results = resolver.resolve(url.host, std::to_string(url.port), ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "resolving " + url.host + ": " + ec.message());
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  return endpoints;
}

Result<WireRequest> ToWire(const HttpRequest& request, const ParsedUrl& url,
                           const std::string& user_agent) {
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown)
    return Fail(ErrorCode::kInvalidArgument, "unknown HTTP method " + request.method);
  WireRequest wire{verb, url.target, 11};
  wire.set(http::field::host, url.host_header);
  wire.set(http::field::user_agent, user_agent);
  for (const auto& field : request.headers.fields()) wire.set(field.name, field.value);
  if (!request.body.empty() || verb == http::verb::post) {
    wire.body() = request.body;
    wire.prepare_payload();  // Content-Length
  }
  return wire;
}

HttpResponse FromWire(http::response<http::string_body>& wire) {
  HttpResponse response;
  response.status = static_cast<int>(wire.result_int());
  for (const auto& field : wire)
    response.headers.Add(std::string(field.name_string()), std::string(field.value()));
  response.body = std::move(wire.body());
  return response;
}

}  // namespace

Result<ParsedUrl> ParseHttpUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->encoded_host().empty()) {
    return Fail(ErrorCode::kInvalidArgument, "malformed URL \"" + std::string(url) + "\"");
  }
  ParsedUrl out;
  if (parsed->scheme() == "https") {
    out.tls = true;
  } else if (parsed->scheme() != "http") {
    return Fail(ErrorCode::kInvalidArgument,
                "unsupported URL scheme in \"" + std::string(url) + "\" (http or https)");
  }
  out.host = parsed->host_address();
  out.port = parsed->has_port() ? parsed->port_number() : (out.tls ? 443 : 80);
  if (out.port == 0)
    return Fail(ErrorCode::kInvalidArgument, "bad port in URL \"" + std::string(url) + "\"");
  out.host_header = parsed->encoded_host_and_port();
  out.target = parsed->encoded_target();
  if (out.target.empty()) out.target = "/";
  return out;
}

struct TlsClientConfig::Impl {
  ssl::context context{ssl::context::tls_client};
};

TlsClientConfig::TlsClientConfig(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsClientConfig::~TlsClientConfig() = default;

Result<std::shared_ptr<TlsClientConfig>> TlsClientConfig::Create(const std::string& ca_file) {
  auto impl = std::make_unique<Impl>();
  beast::error_code ec;
  impl->context.set_verify_mode(ssl::verify_peer, ec);
  SSL_CTX_set_min_proto_version(impl->context.native_handle(), TLS1_2_VERSION);
  if (ca_file.empty()) {
    impl->context.set_default_verify_paths(ec);
    if (ec)
      return Fail(ErrorCode::kInternal, "cannot load the system trust store: " + ec.message());
  } else {
    impl->context.load_verify_file(ca_file, ec);
    if (ec)
      return Fail(ErrorCode::kInvalidArgument,
                  "cannot load the CA file " + ca_file + ": " + ec.message());
  }
  return std::shared_ptr<TlsClientConfig>(new TlsClientConfig(std::move(impl)));
}

struct BeastConnection::Impl {
  asio::io_context ioc{1};
  std::shared_ptr<TlsClientConfig> tls_config;  // keeps the ssl::context alive
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  std::optional<beast::tcp_stream> plain;
  beast::flat_buffer buffer;

  beast::tcp_stream& Lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Runs one asynchronous operation to completion; the stream's expiry (set by the
  // caller) cancels it with beast::error::timeout.
  template <class Start>
  beast::error_code Run(Start start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  Status Handshake(const ParsedUrl& url) {
    SSL* handle = tls->native_handle();
    if (IsIpAddress(url.host)) {  // no SNI for addresses; verify the iPAddress SAN
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), url.host.c_str());
    } else {
      SSL_ctrl(handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(url.host.c_str()));
      SSL_set1_host(handle, url.host.c_str());
    }
    beast::error_code ec = Run(
        [&](auto handler) { tls->async_handshake(ssl::stream_base::client, std::move(handler)); });
    if (!ec) return Ok();
    Error error = StepError("TLS handshake with " + url.host_header, ec);
    const long verify = SSL_get_verify_result(handle);
    if (verify != X509_V_OK)
      error.message += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    return Fail(std::move(error));
  }

  template <class Stream>
  ExchangeOutcome RoundTrip(Stream& stream, WireRequest& request, size_t max_response_bytes) {
    ExchangeOutcome out{Fail(ErrorCode::kInternal, "no response")};
    beast::error_code ec =
        Run([&](auto handler) { http::async_write(stream, request, std::move(handler)); });
    if (ec) {
      out.nothing_received = ec != beast::error::timeout;
      out.response = Fail(StepError("sending the request", ec));
      return out;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_bytes);
    parser.skip(request.method() == http::verb::head);  // a HEAD response has no body
    ec = Run([&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
    if (ec == http::error::body_limit) {
      out.response = Fail(ErrorCode::kProtocol, "the response is larger than " +
                                                    std::to_string(max_response_bytes) + " bytes");
    } else if (ec) {
      out.nothing_received = !parser.got_some() && ec != beast::error::timeout;
      out.response = Fail(StepError("reading the response", ec));
    } else {
      out.keep_alive = parser.get().keep_alive();
      out.response = FromWire(parser.get());
    }
    return out;
  }
};

BeastConnection::BeastConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BeastConnection::~BeastConnection() = default;

Result<std::unique_ptr<BeastConnection>> BeastConnection::Open(const ParsedUrl& url,
                                                               std::shared_ptr<TlsClientConfig> tls,
                                                               SteadyTime deadline) {
  auto impl = std::make_unique<Impl>();
  auto endpoints = Resolve(impl->ioc, url);
  if (!endpoints) return Fail(endpoints.error());
  if (url.tls) {
    impl->tls.emplace(impl->ioc, tls->impl().context);
  } else {
    impl->plain.emplace(impl->ioc);
  }
  impl->tls_config = std::move(tls);
  beast::tcp_stream& lowest = impl->Lowest();
  lowest.expires_at(deadline);
  beast::error_code ec =
      impl->Run([&](auto handler) { lowest.async_connect(*endpoints, std::move(handler)); });
  if (ec) return Fail(StepError("connecting to " + url.host_header, ec));
  lowest.socket().set_option(tcp::no_delay(true), ec);  // small requests: no Nagle delay
  if (url.tls) {
    if (auto handshake = impl->Handshake(url); !handshake) return Fail(handshake.error());
  }
  return std::unique_ptr<BeastConnection>(new BeastConnection(std::move(impl)));
}

void BeastConnection::Interrupt() {
  // post() is thread-safe; the handler runs inside ioc.run() of the thread doing the
  // exchange (or at the start of the next one), where touching the socket is safe.
  asio::post(impl_->ioc, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    impl->Lowest().socket().close(ignored);
  });
}

ExchangeOutcome BeastConnection::Exchange(const HttpRequest& request, const ParsedUrl& url,
                                          const std::string& user_agent, size_t max_response_bytes,
                                          SteadyTime deadline) {
  auto wire = ToWire(request, url, user_agent);
  if (!wire) return ExchangeOutcome{Fail(wire.error())};
  impl_->Lowest().expires_at(deadline);
  if (impl_->tls) return impl_->RoundTrip(*impl_->tls, *wire, max_response_bytes);
  return impl_->RoundTrip(*impl_->plain, *wire, max_response_bytes);
}

}  // namespace certfleet::net::internal
