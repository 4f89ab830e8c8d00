#include "http/router.h"

#include <stdexcept>

namespace certfleet::http {

namespace {

enum class SegmentKind { kRest = 0, kParam = 1, kLiteral = 2 };  // higher is more specific

struct Segment {
  SegmentKind kind;
  std::string text;  // the literal, or the parameter name
};

Segment ParseSegment(const std::string& text, bool is_last, std::string_view pattern) {
  if (text.empty() || text.front() != '{') {
    if (text.find_first_of("{}") != std::string::npos) {
      throw std::invalid_argument("route pattern " + std::string(pattern) +
                                  ": braces must enclose a whole segment");
    }
    return {SegmentKind::kLiteral, text};
  }
  if (text.size() < 3 || text.back() != '}') {
    throw std::invalid_argument("route pattern " + std::string(pattern) + ": bad segment " + text);
  }
  std::string name = text.substr(1, text.size() - 2);
  if (name.size() > 3 && name.ends_with("...")) {
    if (!is_last) {
      throw std::invalid_argument("route pattern " + std::string(pattern) +
                                  ": {name...} must be the last segment");
    }
    return {SegmentKind::kRest, name.substr(0, name.size() - 3)};
  }
  return {SegmentKind::kParam, name};
}

}  // namespace

struct Router::Route {
  std::string method;
  std::string pattern;
  std::vector<Segment> segments;
  Handler handler;
  AsyncHandler async_handler;
};

namespace {

// Fills `params` and returns true when `route` matches `path`.
bool MatchRoute(const Router::Route& route, std::span<const std::string> path,
                std::map<std::string, std::string, std::less<>>* params) {
  params->clear();
  for (size_t i = 0; i < route.segments.size(); ++i) {
    const Segment& segment = route.segments[i];
    if (segment.kind == SegmentKind::kRest) {
      std::string rest;
      for (size_t j = i; j < path.size(); ++j) rest += (j == i ? "" : "/") + path[j];
      (*params)[segment.text] = std::move(rest);
      return true;
    }
    if (i >= path.size()) return false;
    if (segment.kind == SegmentKind::kLiteral && segment.text != path[i]) return false;
    if (segment.kind == SegmentKind::kParam) (*params)[segment.text] = path[i];
  }
  return route.segments.size() == path.size();
}

// True when `a` is more specific than `b` (both matched the same path).
bool MoreSpecific(const Router::Route& a, const Router::Route& b) {
  size_t n = std::min(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.segments[i].kind != b.segments[i].kind) return a.segments[i].kind > b.segments[i].kind;
  }
  return a.segments.size() > b.segments.size();
}

bool IsUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AddAllowed(std::string* allow, std::string_view method) {
  if (allow->find(method) != std::string::npos) return;
  if (!allow->empty()) *allow += ", ";
  *allow += method;
}

}  // namespace

Router::Router() = default;
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (path.starts_with('/')) path.remove_prefix(1);
  if (path.empty()) return segments;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    segments.emplace_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

void Router::Add(std::string_view method, std::string_view pattern, Handler handler) {
  AddRoute(method, pattern, std::move(handler), nullptr);
}

void Router::AddAsync(std::string_view method, std::string_view pattern, AsyncHandler handler) {
  AddRoute(method, pattern, nullptr, std::move(handler));
}

void Router::AddRoute(std::string_view method, std::string_view pattern, Handler handler,
                      AsyncHandler async_handler) {
  if (!pattern.starts_with('/')) {
    throw std::invalid_argument("route pattern " + std::string(pattern) + ": must start with /");
  }
  Route route{
      std::string(method), std::string(pattern), {}, std::move(handler), std::move(async_handler)};
  std::vector<std::string> texts = SplitPath(pattern);
  for (size_t i = 0; i < texts.size(); ++i) {
    route.segments.push_back(ParseSegment(texts[i], i + 1 == texts.size(), pattern));
  }
  for (const Route& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      throw std::invalid_argument("route " + route.method + " " + route.pattern +
                                  " is registered twice");
    }
  }
  routes_.push_back(std::move(route));
}

void Router::AddSegmentFastPath(std::string_view prefix, SegmentHandler handler) {
  if (prefix.size() < 2 || !prefix.starts_with('/') || !prefix.ends_with('/')) {
    throw std::invalid_argument("fast path prefix " + std::string(prefix) +
                                ": must start and end with /");
  }
  for (const auto& [existing, ignored] : fast_paths_) {
    if (existing == prefix) {
      throw std::invalid_argument("fast path " + std::string(prefix) + " is registered twice");
    }
  }
  fast_paths_.emplace_back(std::string(prefix), std::move(handler));
}

const SegmentHandler* Router::FindFastPath(std::string_view target,
                                           std::string_view* segment) const {
  for (const auto& [prefix, handler] : fast_paths_) {
    if (!target.starts_with(prefix)) continue;
    std::string_view rest = target.substr(prefix.size());
    // "." and ".." are dot-segments a normal parse would resolve: leave them to it.
    if (rest.empty() || rest == "." || rest == "..") return nullptr;
    for (char c : rest) {
      if (!IsUnreserved(c)) return nullptr;
    }
    *segment = rest;
    return &handler;
  }
  return nullptr;
}

Router::Match Router::Find(std::string_view method, std::span<const std::string> segments) const {
  Match match;
  const Route* get_fallback = nullptr;
  std::map<std::string, std::string, std::less<>> params;
  std::map<std::string, std::string, std::less<>> fallback_params;
  bool path_known = false;
  for (const Route& route : routes_) {
    if (!MatchRoute(route, segments, &params)) continue;
    path_known = true;
    if (route.method == method) {
      if (match.route == nullptr || MoreSpecific(route, *match.route)) {
        match.route = &route;
        match.params.swap(params);
      }
    } else if (method == "HEAD" && route.method == "GET") {
      if (get_fallback == nullptr || MoreSpecific(route, *get_fallback)) {
        get_fallback = &route;
        fallback_params.swap(params);
      }
    }
  }
  if (match.route == nullptr && get_fallback != nullptr) {
    match.route = get_fallback;
    match.params = std::move(fallback_params);
  }
  if (match.route != nullptr) {
    match.status = 200;
  } else if (path_known) {
    match.status = 405;
    match.allow = AllowedMethods(segments);
  }
  return match;
}

std::string Router::AllowedMethods(std::span<const std::string> segments) const {
  std::string allow;
  std::map<std::string, std::string, std::less<>> ignored;
  for (const Route& route : routes_) {
    if (!MatchRoute(route, segments, &ignored)) continue;
    AddAllowed(&allow, route.method);
    if (route.method == "GET") AddAllowed(&allow, "HEAD");
  }
  return allow;
}

void Router::CallAsync(const Route& route, const Request& request, const Responder& responder) {
  route.async_handler(request, responder);
}

bool Router::IsAsync(const Route& route) { return static_cast<bool>(route.async_handler); }

Response Router::Call(const Route& route, const Request& request) { return route.handler(request); }

}  // namespace certfleet::http
