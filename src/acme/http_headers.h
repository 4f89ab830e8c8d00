// Parsers for the HTTP header fields ACME relies on: Retry-After (RFC 9110 §10.2.3),
// Link (RFC 8288; RFC 8555 §7.4.2 "alternate", §7.1 "up", "index").
// Fuzz entry points: pure, never throw.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace certfleet::acme {

// Delay-seconds ("120") or an IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"), relative
// to `now`. A date in the past gives 0. nullopt for anything unparseable.
std::optional<Duration> ParseRetryAfter(std::string_view value, TimePoint now);

// The target URLs of every link with relation `rel` in one or more Link field values,
// e.g. `<https://ca/cert/1/1>;rel="alternate", <https://ca/dir>;rel="index"`.
std::vector<std::string> ParseLinks(const std::vector<std::string>& field_values,
                                    std::string_view rel);

}  // namespace certfleet::acme
