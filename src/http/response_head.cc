#include "http/response_head.h"

#include <boost/beast/http/status.hpp>

#include "http/headers.h"

namespace certfleet::http {
namespace {

bool IsFramingField(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection");
}

bool IsSafe(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace

bool StatusHasNoBody(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

void AppendResponseHead(const Response& response, bool keep_alive, unsigned version,
                        std::string& out) {
  const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& [name, value] : response.headers.fields()) {
    if (name.empty() || IsFramingField(name) || !IsSafe(name) || !IsSafe(value)) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  if (StatusHasNoBody(status)) {
  } else if (response.body_stream) {
    if (version != 10) out += "Transfer-Encoding: chunked\r\n";
  } else {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace certfleet::http
