// Request: one parsed HTTP/1.1 request as a handler sees it.
//
// The server fills it from the wire; handlers get a const reference that is valid only
// for the duration of the handler call (copy what a deferred handler needs later).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/headers.h"

namespace certfleet::http {

struct Request {
  std::string method;  // as sent, upper case by convention: "GET", "POST", ...
  std::string target;  // the raw request target, e.g. "/api/v1/events?since=4"
  std::string path;    // percent-decoded path without the query, e.g. "/api/v1/events"
  std::multimap<std::string, std::string> query;  // percent-decoded query parameters
  Headers headers;
  std::string body;
  std::string remote_address;  // the peer's IP address, e.g. "127.0.0.1"
  std::map<std::string, std::string, std::less<>> path_params;  // captures of the route pattern

  // The captured route parameter `name` ("{name}" in the pattern), or "" when absent.
  std::string_view PathParam(std::string_view name) const;
  // The first query parameter `name`, or nullopt when absent.
  std::optional<std::string_view> QueryParam(std::string_view name) const;
};

}  // namespace certfleet::http
