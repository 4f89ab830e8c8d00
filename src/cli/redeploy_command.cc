#include "cli/redeploy_command.h"

#include <nlohmann/json.hpp>

namespace certfleet::cli {

Status RunRedeploy(HubClient& hub, const RedeployOptions& o, std::ostream& out) {
  nlohmann::json body = nlohmann::json::object();
  if (!o.domain.empty()) body["domain"] = o.domain;
  const std::string path = o.machine.empty()
                               ? "/api/v1/redeploy"
                               : "/api/v1/machines/" + UrlEncode(o.machine) + "/redeploy";
  auto answer = hub.Post(path, body);
  if (!answer) return Fail(answer.error());
  const auto machines = answer->value("machines", nlohmann::json::array());
  const std::string domain = answer->value("domain", "");
  out << "redeploy of " << (domain.empty() ? "every certificate" : domain) << " requested on "
      << machines.size() << " machine(s):";
  for (size_t i = 0; i < machines.size(); ++i) {
    out << (i == 0 ? " " : ", ") << machines[i].get<std::string>();
  }
  out << "\n";
  return Ok();
}

}  // namespace certfleet::cli
