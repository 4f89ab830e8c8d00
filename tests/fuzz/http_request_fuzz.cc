// HTTP/1.1 requests as the hub's server reads them from a client (src/http/session.cc): Beast's
// request parser with the server's default header and body limits, then http::ToRequest
// (origin-form target, percent-decoded path segments and query) and the router's lookups
// (Router::FindFastPath on the raw target, Router::Find on the decoded segments) over a route
// table shaped like the hub's. Promises: a 200 match names its route; a fast-path segment is a
// non-empty run of unreserved characters.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "http/router.h"
#include "http/server.h"
#include "http/wire_request.h"

namespace {

using certfleet::http::Request;
using certfleet::http::Response;
using certfleet::http::Router;

Router MakeRouter() {
  Router router;
  auto answer = [](const Request&) { return Response(); };
  router.Add("GET", "/api/v1/domains", answer);
  router.Add("POST", "/api/v1/domains", answer);
  router.Add("GET", "/api/v1/domains/{name}", answer);
  router.Add("PUT", "/api/v1/domains/{name}", answer);
  router.Add("GET", "/api/v1/machines/{machine}/desired", answer);
  router.Add("GET", "/api/v1/events", answer);
  router.Add("GET", "/ui/assets/{file...}", answer);
  router.Add("GET", "/.well-known/acme-challenge/{token}", answer);
  router.AddSegmentFastPath("/.well-known/acme-challenge/",
                            [](std::string_view) { return Response(); });
  return router;
}

bool Unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Router router = MakeRouter();
  const certfleet::http::ServerOptions limits;
  boost::beast::http::request_parser<boost::beast::http::string_body> parser;
  parser.header_limit(limits.header_limit);
  parser.body_limit(limits.body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;

  std::string_view segment;
  const std::string target(parser.get().target());
  if (router.FindFastPath(target, &segment) != nullptr) {
    if (segment.empty()) certfleet::fuzz::Broken("fast path with an empty segment");
    for (char c : segment) {
      if (!Unreserved(c)) certfleet::fuzz::Broken("fast path segment with a reserved character");
    }
  }
  std::vector<std::string> segments;
  auto request = certfleet::http::ToRequest(parser.release(), "127.0.0.1", &segments);
  if (!request) return 0;
  auto match = router.Find(request->method, segments);
  if (match.status == 200 && match.route == nullptr) certfleet::fuzz::Broken("200 without a route");
  (void)request->QueryParam("since");
  (void)request->headers.Get("content-type");
  return 0;
}
