// ResponseHead: the status line and header block of a Response, serialized by hand.
//
// Why not Beast's serializer: on the HTTP-01 responder's hot path (tens of thousands of
// tiny answers per second) building a beast::http::response allocates per header field
// and walks a generic buffer machinery; one string reserved once is cheaper, and the
// body is then written from the Response itself with one gather write.
//
// Rules (RFC 9112): "HTTP/1.x <code> <reason>"; the handler's fields in order, except the
// framing fields the server owns (Content-Length, Transfer-Encoding, Connection) and any
// field whose name or value holds CR, LF or NUL (dropped, never a header injection);
// "Connection: close" when an HTTP/1.1 connection closes, "Connection: keep-alive" when an
// HTTP/1.0 one stays open; Content-Length = the body size except for 1xx, 204 and 304,
// which carry no body. Pure; thread-compatible.
#pragma once

#include <string>

#include "http/response.h"

namespace certfleet::http {

// True when a response with this status never carries a body (1xx, 204, 304).
bool StatusHasNoBody(int status);

// Appends the head (ending in the empty line) to `out`. `version` is 10 or 11; a status
// outside 100..999 is sent as 500.
void AppendResponseHead(const Response& response, bool keep_alive, unsigned version,
                        std::string& out);

}  // namespace certfleet::http
