// Router: maps (method, path) to handlers.
//
// Patterns are absolute paths of segments: literals, "{name}" (captures one segment) and,
// last only, "{name...}" (captures the rest of the path, slashes included, possibly "").
//   router.Add("GET", "/api/v1/domains/{name}", handler);   // req.PathParam("name")
//   router.Add("GET", "/ui/assets/{file...}", assets);
// Matching is on percent-decoded segments, so "%2F" inside a segment never splits it.
// When several patterns match, the most specific wins (per segment, from the left:
// literal > {param} > {rest...}). HEAD falls back to the GET handler. A path that
// matches no pattern answers 404; one whose patterns lack the method answers 405 with
// an Allow header.
//
// Thread safety: build the router before handing it to a Server; after that it is
// read-only and handlers run concurrently on the server's io threads, so handlers must
// be safe to call concurrently.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/responder.h"
#include "http/response.h"

namespace certfleet::http {

// Answers on the io thread. Keep it short: a slow handler holds up its io thread.
using Handler = std::function<Response(const Request&)>;
// Answers through the Responder, now or later from any thread (see responder.h).
using AsyncHandler = std::function<void(const Request&, Responder)>;
// Answers a GET (or HEAD) for one plain segment under a prefix, given only that segment.
using SegmentHandler = std::function<Response(std::string_view segment)>;

class Router {
 public:
  struct Route;

  // Registers a handler. A malformed pattern or a second registration of the same
  // method and pattern is a programming error: throws std::invalid_argument at start-up.
  void Add(std::string_view method, std::string_view pattern, Handler handler);
  void AddAsync(std::string_view method, std::string_view pattern, AsyncHandler handler);

  // A fast path for hot public GETs such as the HTTP-01 responder: when a GET or HEAD
  // request target is exactly `prefix` (starting and ending with '/') followed by one
  // segment of RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~: nothing to decode, no
  // query, no further '/'), the server calls `handler` with that segment before it builds
  // a Request, so no headers are copied and nothing is parsed. Any other target under the
  // prefix takes the normal routes, so register a pattern route for the same path too.
  // Throws std::invalid_argument for a malformed or repeated prefix.
  void AddSegmentFastPath(std::string_view prefix, SegmentHandler handler);

  // The fast-path handler for `target` (the raw request target), with `segment` set to the
  // segment after the prefix; nullptr when no fast path applies.
  const SegmentHandler* FindFastPath(std::string_view target, std::string_view* segment) const;

  struct Match {
    int status = 404;              // 200 (route found), 404 or 405
    const Route* route = nullptr;  // set when status is 200
    std::map<std::string, std::string, std::less<>> params;
    std::string allow;  // for 405: "GET, HEAD, POST"
  };

  // Finds the handler for `method` and the decoded path `segments` ("/a/b" → {"a","b"};
  // "/" → {}).
  Match Find(std::string_view method, std::span<const std::string> segments) const;

  // Runs the route found by Find (used by the server). Call requires !IsAsync(route);
  // CallAsync requires IsAsync(route). Both let the handler's exceptions through.
  static bool IsAsync(const Route& route);
  static Response Call(const Route& route, const Request& request);
  static void CallAsync(const Route& route, const Request& request, const Responder& responder);

  ~Router();
  Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

 private:
  void AddRoute(std::string_view method, std::string_view pattern, Handler handler,
                AsyncHandler async_handler);
  // The Allow header value for a path: every method with a matching pattern.
  std::string AllowedMethods(std::span<const std::string> segments) const;

  std::vector<Route> routes_;
  std::vector<std::pair<std::string, SegmentHandler>> fast_paths_;
};

// Splits a path pattern or plain path on '/' as the router does ("/" → {}). No decoding.
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace certfleet::http
