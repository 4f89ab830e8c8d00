// JsonText: JSON written straight into one string, for the responses on every agent's pass
// (desired state, certificate). Building an nlohmann::json value first costs a map node and
// a string per field, freed again at once; at 10,000 agents those allocations were the
// largest part of the hub's CPU per pass after SQLite (issue 16).
//
// The output is byte for byte what nlohmann's dump(-1, ' ', false, error_handler_t::replace)
// gives for the equal value, provided the caller writes each object's keys in ascending byte
// order (nlohmann keeps objects in a std::map). Strings that are not valid UTF-8 are escaped
// by nlohmann itself, so its replacement rule applies unchanged. agent_json_test.cc holds
// the shapes built here against the nlohmann ones.
//
// Not thread-safe (one per response).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace certfleet::hub::api {

class JsonText {
 public:
  JsonText& BeginObject() { return Open('{'); }
  JsonText& EndObject() { return Close('}'); }
  JsonText& BeginArray() { return Open('['); }
  JsonText& EndArray() { return Close(']'); }
  // The key of the next value (inside an object; keys in ascending order, see above).
  JsonText& Key(std::string_view key);

  JsonText& String(std::string_view value);
  JsonText& Int(std::int64_t value);
  JsonText& Null();
  JsonText& OptInt(std::optional<std::int64_t> value) { return value ? Int(*value) : Null(); }
  // RFC 3339 text, or null (api::TimeJson).
  JsonText& Time(std::optional<TimePoint> t);
  JsonText& Strings(const std::vector<std::string>& values);

  // Room for `bytes` more (e.g. a certificate chain), so the text is not copied as it grows.
  void Reserve(std::size_t bytes) { out_.reserve(out_.size() + bytes); }
  // The text written; the writer is empty afterwards.
  std::string Take() { return std::move(out_); }

 private:
  JsonText& Open(char bracket);
  JsonText& Close(char bracket);
  void BeforeValue();  // the comma between elements

  std::string out_;
  std::vector<bool> empty_;  // per open container: nothing in it yet
  bool after_key_ = false;
};

// `text` as a JSON string (quoted and escaped) appended to `out`.
void AppendJsonString(std::string_view text, std::string& out);

}  // namespace certfleet::hub::api
