// HTTP header fields: the HttpHeaders list every transport fills, and parsers for the
// fields our clients rely on: Retry-After (RFC 9110 §10.2.3; ACME rate limits, webhook
// receivers) and Link (RFC 8288; RFC 8555 §7.4.2 "alternate", §7.1 "up", "index").
// The parsers are fuzz entry points (tests/fuzz/http_headers_fuzz.cc): pure, never throw.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace certfleet::net {

// HTTP header fields in arrival order. Lookup ignores ASCII case (RFC 9110 §5.1);
// repeated fields (e.g. several "Link") are kept as separate entries.
class HttpHeaders {
 public:
  struct Field {
    std::string name;
    std::string value;
  };

  void Add(std::string name, std::string value);
  // The first field named `name`, or nullopt when absent.
  std::optional<std::string> Get(std::string_view name) const;
  // Every field named `name`, in order (empty when absent).
  std::vector<std::string> GetAll(std::string_view name) const;
  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

// Delay-seconds ("120") or an IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"), relative
// to `now`. A date in the past gives 0. nullopt for anything unparseable.
std::optional<Duration> ParseRetryAfter(std::string_view value, TimePoint now);

// The target URLs of every link with relation `rel` in one or more Link field values,
// e.g. `<https://ca/cert/1/1>;rel="alternate", <https://ca/dir>;rel="index"`.
std::vector<std::string> ParseLinks(const std::vector<std::string>& field_values,
                                    std::string_view rel);

}  // namespace certfleet::net
