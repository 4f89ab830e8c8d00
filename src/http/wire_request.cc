#include "http/wire_request.h"

#include <boost/url/parse.hpp>

namespace certfleet::http {

Result<Request> ToRequest(WireRequest&& wire, std::string_view remote_address,
                          std::vector<std::string>* segments) {
  Request request;
  request.method = std::string(wire.method_string());
  request.target = std::string(wire.target());
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) {
    return Fail(ErrorCode::kInvalidArgument,
                "malformed request target (expected /path?query): " + url.error().message());
  }
  request.path = std::string(url->path());
  segments->clear();
  for (std::string segment : url->segments()) segments->push_back(std::move(segment));
  for (auto param : url->params()) {
    request.query.emplace(std::move(param.key), std::move(param.value));
  }
  for (const auto& field : wire) {
    request.headers.Add(std::string_view(field.name_string().data(), field.name_string().size()),
                        std::string_view(field.value().data(), field.value().size()));
  }
  request.body = std::move(wire.body());
  request.remote_address = std::string(remote_address);
  return request;
}

}  // namespace certfleet::http
