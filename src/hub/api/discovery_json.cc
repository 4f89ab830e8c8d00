#include "hub/api/discovery_json.h"

#include <nlohmann/json.hpp>

#include "hub/api/json_model.h"

namespace certfleet::hub::api {

using nlohmann::json;

json EntryJson(const store::InventoryEntry& e) {
  return {{"name", e.name},
          {"origin", e.origin},
          {"sha256", e.sha256},
          {"not_after", TimeJson(e.not_after)},
          {"issuer", e.issuer},
          {"key_type", e.key_type},
          {"serial", e.serial},
          {"path", e.path},
          {"status", e.status},
          {"detail", e.detail},
          {"config_file", e.config_file},
          {"line", e.line}};
}

json NameGroupJson(const discovery::NameGroup& g, bool with_machines) {
  json out = {{"name", g.name},
              {"state", discovery::NameStateName(g.state)},
              {"domain", g.domain.empty() ? json() : json(g.domain)},
              {"conflict", g.conflict},
              {"not_after", TimeJson(g.not_after)},
              {"sha256s", g.sha256s},
              {"problems", g.problems}};
  json machines = json::array();
  for (const auto& s : g.machines) {
    json m = {{"machine", s.machine}};
    if (with_machines) {
      json files = json::array();
      for (const auto& e : s.files) files.push_back(EntryJson(e));
      json served = json::array();
      for (const auto& e : s.served) served.push_back(EntryJson(e));
      m["files"] = files;
      m["served"] = served;
    }
    machines.push_back(m);
  }
  out["machines"] = machines;
  return out;
}

json UploadJson(const store::UploadRequest& r) {
  const char* state = r.state == store::UploadState::kPending ? "pending"
                      : r.state == store::UploadState::kDone  ? "done"
                                                              : "failed";
  return {{"id", r.id},
          {"domain", r.domain},
          {"sha256", r.sha256},
          {"state", state},
          {"error", r.error},
          {"created_at", TimeJson(r.created_at)},
          {"finished_at", TimeJson(r.finished_at)}};
}

json ExternalChallengeJson(const store::ExternalChallenge& c) {
  return {{"identifier", c.identifier},
          {"token", c.token},
          {"created_by", c.created_by},
          {"created_at", TimeJson(c.created_at)},
          {"expires_at", TimeJson(c.expires_at)}};
}

json AdoptJson(const discovery::AdoptOutcome& a) {
  json changes = json::array();
  for (const auto& c : a.plan.changes) {
    json lines = json::array();
    for (const auto& l : c.lines) {
      lines.push_back({{"file", l.file},
                       {"line", l.line},
                       {"directive", l.directive},
                       {"old", l.old_value},
                       {"new", l.new_value},
                       {"inherited", l.inherited}});
    }
    changes.push_back({{"machine", c.machine},
                       {"file", c.file},
                       {"line", c.line},
                       {"server_names", c.server_names},
                       {"lines", lines}});
  }
  json out = {{"domain", a.plan.name},
              {"sans", a.plan.sans},
              {"issuer", a.plan.issuer},
              {"key_type", a.plan.key_type},
              {"applied", a.applied},
              {"domain_existed", a.domain_existed},
              {"reload_free", a.plan.lines == discovery::SiteLines::kReloadFree},
              {"certificate_sha256", a.plan.source_sha256},
              {"nginx_changes", changes},
              {"nginx_text", a.nginx_changes},
              {"notes", a.plan.notes}};
  out["upload"] = a.upload ? UploadJson(*a.upload) : json();
  return out;
}

json ImportJson(const discovery::ImportOutcome& o) {
  return {{"domain", o.domain}, {"action", o.action}, {"applied", o.applied}, {"detail", o.detail}};
}

Result<bool> BodyBool(const http::Request& request, std::string_view field) {
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains(field)) return false;
  const json& v = body[std::string(field)];
  if (v.is_null()) return false;
  if (!v.is_boolean()) {
    return Fail(ErrorCode::kInvalidArgument,
                "field '" + std::string(field) + "' must be true or false");
  }
  return v.get<bool>();
}

}  // namespace certfleet::hub::api
