// Whether a URL that will carry secrets (an API token, private keys) may be used.
//
// https:// always may. http:// may only when the host is loopback (127.0.0.0/8, ::1,
// "localhost"): tests and a hub on the same host. Any other http:// URL sends the token —
// and, for the agent, the private keys — across the network in clear text, so it is
// refused unless the operator sets an explicit, loudly-named override (review
// 2026-12-06, F4). Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet {

// The host of an http(s) URL as written ("[::1]" without brackets); "" when there is none.
std::string UrlHost(std::string_view url);

// True for "localhost", any 127.x.y.z and ::1.
bool IsLoopbackHost(std::string_view host);

// kInvalidArgument for a URL that is neither https:// nor http://, and for a non-loopback
// http:// URL unless `allow_plain_http`. `what` names the setting in the message
// ("hub_url"); `override_name` is the setting that allows plain HTTP.
Status CheckSecretUrl(std::string_view url, bool allow_plain_http, std::string_view what,
                      std::string_view override_name);

// True when `url` is http:// to a host that is not loopback (worth a warning at start).
bool IsPlainHttpOffHost(std::string_view url);

}  // namespace certfleet
