// Log fields: key/value pairs (domain, machine, order, ...) attached to every log line a
// thread writes while a ScopedLogFields lives. The JSON log format (common/log_format.h)
// emits them as keys, so Loki or Elasticsearch can filter on `domain` without parsing
// messages; the text format ignores them (its messages already name the thing).
//
//   ScopedLogFields fields({{"domain", domain.name}, {"issuer", domain.issuer}});
//   spdlog::info("{}: starting a new order", domain.name);   // → ..."domain":"shop.example"
//
// Contract: fields are per thread (thread_local) and nest: an inner scope adds to, or
// overrides, the outer one until it ends. Values must never be secrets (tokens, keys).
// Scopes must end in reverse order of their start (use them as local variables only).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certfleet {

using LogField = std::pair<std::string, std::string>;

class ScopedLogFields {
 public:
  explicit ScopedLogFields(std::initializer_list<LogField> fields);
  ~ScopedLogFields();
  ScopedLogFields(const ScopedLogFields&) = delete;
  ScopedLogFields& operator=(const ScopedLogFields&) = delete;

 private:
  std::size_t added_ = 0;
};

// The fields in effect on this thread, outermost first (a later duplicate key wins).
const std::vector<LogField>& CurrentLogFields();

}  // namespace certfleet
