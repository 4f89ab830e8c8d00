#include "cli/notify_commands.h"

#include <ostream>

namespace certfleet::cli {

Status RunNotifyTest(HubClient& hub, const std::string& channel, std::ostream& out) {
  auto answer =
      hub.Post("/api/v1/notify/channels/" + UrlEncode(channel) + "/test", nlohmann::json::object());
  if (!answer) return Fail(answer.error());
  const std::string type = answer->is_object() ? answer->value("type", std::string()) : "";
  out << "test message delivered to channel " << channel
      << (type.empty() ? std::string() : " (" + type + ")") << "\n";
  return Ok();
}

}  // namespace certfleet::cli
