#include "hub/service/activity.h"

#include <nlohmann/json.hpp>

namespace certfleet::hub::service {
namespace {

using nlohmann::json;

std::string Str(const json& details, const char* key) {
  auto it = details.find(key);
  if (it == details.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// "domain:shop.example.com" → ("domain", "shop.example.com").
std::pair<std::string, std::string> SplitTarget(std::string_view target) {
  const auto colon = target.find(':');
  if (colon == std::string_view::npos) return {"", std::string(target)};
  return {std::string(target.substr(0, colon)), std::string(target.substr(colon + 1))};
}

std::string ValueText(const json& v) {
  if (v.is_null()) return "—";
  if (v.is_string()) return v.get<std::string>().empty() ? "—" : v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) out += (out.empty() ? "" : ", ") + ValueText(item);
    return out.empty() ? "—" : out;
  }
  return v.dump();
}

std::vector<std::string> Changes(const json& details) {
  std::vector<std::string> out;
  auto it = details.find("changes");
  if (it == details.end() || !it->is_object()) return out;
  for (const auto& [field, pair] : it->items()) {
    if (!pair.is_array() || pair.size() != 2) continue;
    out.push_back(field + ": " + ValueText(pair[0]) + " → " + ValueText(pair[1]));
  }
  return out;
}

std::string Verb(std::string_view action) {
  if (action.ends_with(".created")) return "added";
  if (action.ends_with(".updated")) return "changed";
  if (action.ends_with(".deleted")) return "deleted";
  return "";
}

void DescribeDeployment(const json& details, Activity& a) {
  a.machine = Str(details, "machine");
  a.domain = Str(details, "domain");
  if (Str(details, "status") == "failed") {
    a.tone = Tone::kBad;
    a.text = a.machine + " could not deploy " + a.domain + ": " + Str(details, "error");
  } else if (Str(details, "status") == "deployed") {
    a.tone = Tone::kOk;
    a.text = a.machine + " deployed " + a.domain;
  } else {
    a.text = a.machine + " reported " + a.domain + " as " + Str(details, "status");
  }
}

void DescribeDomainEvent(std::string_view action, const json& details, Activity& a) {
  if (action == "domain.issue_requested") {
    a.text = a.who + " asked for a new certificate for " + a.domain;
  } else if (action == "domain.status") {
    const std::string status = Str(details, "status");
    a.tone = status == "failed" ? Tone::kBad : status == "valid" ? Tone::kOk : Tone::kInfo;
    a.text = a.domain + " is now " + status;
    if (!Str(details, "error").empty()) a.text += ": " + Str(details, "error");
  } else if (action == "certificate.issued" || action == "certificate.renewed") {
    a.tone = Tone::kOk;
    const bool manual = Str(details, "source") == "manual";
    a.text = manual ? a.who + " uploaded a certificate for " + a.domain
                    : std::string(action == "certificate.issued" ? "certificate issued for "
                                                                 : "certificate renewed for ") +
                          a.domain;
  } else if (action == "order.failed") {
    a.tone = Tone::kBad;
    a.text = "the order for " + a.domain + " failed: " + Str(details, "error");
  } else if (action == "order.create") {
    a.text = "an order started for " + a.domain;
  } else if (action == "order.finish") {
    a.text = "the order for " + a.domain + " ended (" + Str(details, "state") + ")";
  }
}

void DescribeToken(std::string_view action, const json& details, Activity& a) {
  const std::string name = Str(details, "name");
  const std::string role = Str(details, "role");
  a.text = a.who + (action == "token.created" ? " created " : " revoked ") +
           (role.empty() ? "" : role + " ") + "token " + (name.empty() ? "" : "\"" + name + "\"");
}

}  // namespace

std::string ActorName(std::string_view actor) {
  if (actor.starts_with("token:")) {
    const auto open = actor.find(" (");
    if (open != std::string_view::npos && actor.ends_with(")")) {
      return std::string(actor.substr(open + 2, actor.size() - open - 3));
    }
  }
  if (actor.starts_with("system:")) return std::string(actor.substr(7));
  return std::string(actor);
}

Activity DescribeAudit(const store::AuditEntry& entry) {
  Activity a;
  a.who = ActorName(entry.actor);
  auto details = json::parse(entry.details_json, nullptr, false);
  if (!details.is_object()) details = json::object();
  const auto [kind, name] = SplitTarget(entry.target);
  if (kind == "domain") a.domain = name;
  if (kind == "machine") a.machine = name;
  if (kind == "customer") a.customer = name;
  a.changes = Changes(details);
  const std::string& action = entry.action;
  if (action == "deployment.reported") {
    DescribeDeployment(details, a);
  } else if (action.starts_with("token.")) {
    DescribeToken(action, details, a);
  } else if (!Verb(action).empty()) {
    a.text = a.who + " " + Verb(action) + " " + kind + " " + name;
  } else {
    DescribeDomainEvent(action, details, a);
  }
  if (a.text.empty()) a.text = a.who + ": " + action + " " + entry.target;
  return a;
}

}  // namespace certfleet::hub::service
