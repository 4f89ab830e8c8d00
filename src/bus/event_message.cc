#include "bus/event_message.h"

#include <nlohmann/json.hpp>

#include "common/time_format.h"
#include "store/event_types.h"

namespace certfleet::bus {
namespace {

constexpr std::string_view kPrefix = "certfleet.";
constexpr std::size_t kMaxRoutingKey = 255;

// "domain:a.example" → "a.example"; "" when there is no "kind:" prefix or name.
std::string_view SubjectName(std::string_view subject) {
  auto colon = subject.find(':');
  return colon == std::string_view::npos ? std::string_view{} : subject.substr(colon + 1);
}

// Joins the parts, replacing `name` by kLongNameWord if the key would be too long.
std::string Join(std::string_view head, std::string_view name, std::string_view tail) {
  std::string key(kPrefix);
  key += head;
  if (!name.empty()) {
    std::size_t length = key.size() + 1 + name.size() + (tail.empty() ? 0 : 1 + tail.size());
    key += '.';
    key += length <= kMaxRoutingKey ? name : kLongNameWord;
  }
  if (!tail.empty()) {
    key += '.';
    key += tail;
  }
  return key;
}

}  // namespace

std::string RoutingKeyName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '%') {
      out += "%25";
    } else if (c == '#') {
      out += "%23";
    } else if (c == '*') {
      out += "%2A";
    } else {
      out += c;
    }
  }
  return out;
}

std::string MachineRoutingKey(std::string_view machine) {
  return Join("machine", RoutingKeyName(machine), "desired_changed");
}

std::string RoutingKeyFor(const store::Event& event) {
  std::string_view name = SubjectName(event.subject);
  // A redeploy request goes where the agent listens (its desired_changed key); the agent
  // tells the two apart by the message's type.
  if (event.type == store::events::kMachineDesiredChanged ||
      event.type == store::events::kMachineRedeployRequested) {
    return MachineRoutingKey(name);
  }
  return Join(event.type, name, "");
}

bool ContainsKeyMaterial(std::string_view text) {
  return text.find("PRIVATE KEY") != std::string_view::npos;
}

Result<Message> BuildMessage(const store::Event& event) {
  std::string what = "event " + std::to_string(event.revision) + " (" + event.type + ")";
  auto data = nlohmann::json::parse(event.payload_json, nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, what + ": payload is not a JSON object");
  }
  nlohmann::json body = {
      {"version", kMessageSchemaVersion}, {"id", event.id},
      {"revision", event.revision},       {"type", event.type},
      {"subject", event.subject},         {"time", FormatRfc3339(event.created_at)},
      {"data", std::move(data)}};
  if (ContainsKeyMaterial(event.payload_json)) {
    body["data"] = nlohmann::json::object();
    body["redacted"] = true;
  }
  Message message{.id = event.id,
                  .revision = event.revision,
                  .type = event.type,
                  .routing_key = RoutingKeyFor(event),
                  .body = body.dump(),
                  .time = event.created_at};
  if (ContainsKeyMaterial(message.body)) {
    return Fail(ErrorCode::kInvalidArgument,
                what + ": the message would contain key material; refusing to publish it");
  }
  return message;
}

Result<Change> ParseChange(std::string_view body, std::string_view routing_key) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return Fail(ErrorCode::kProtocol,
                "message on " + std::string(routing_key) + ": body is not a JSON object");
  }
  Change change;
  change.routing_key = routing_key;
  if (auto it = json.find("revision"); it != json.end() && it->is_number_integer()) {
    change.revision = it->get<std::int64_t>();
  }
  if (auto it = json.find("id"); it != json.end() && it->is_string()) {
    change.event_id = it->get<std::string>();
  }
  if (auto it = json.find("type"); it != json.end() && it->is_string()) {
    change.type = it->get<std::string>();
  }
  return change;
}

}  // namespace certfleet::bus
