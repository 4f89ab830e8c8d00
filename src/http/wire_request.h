// Conversion of Beast's parsed request into http::Request (server internals).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "http/request.h"

namespace certfleet::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Moves `wire` into a Request, parsing the target with Boost.URL; `segments` receives
// the percent-decoded path segments for routing. Fails (kInvalidArgument) on a target
// that is not an absolute path with an optional query (origin-form, RFC 9112 §3.2.1).
Result<Request> ToRequest(WireRequest&& wire, std::string_view remote_address,
                          std::vector<std::string>* segments);

}  // namespace certfleet::http
