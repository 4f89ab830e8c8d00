#include "hub/api/agent_json.h"

#include <nlohmann/json.hpp>

#include "hub/api/json_model.h"
#include "hub/api/json_text.h"

namespace certfleet::hub::api {

using nlohmann::json;

json DesiredJson(const store::DesiredState& state) {
  json certificates = json::array();
  for (const auto& c : state.certificates) {
    certificates.push_back({{"domain_id", c.domain_id},
                            {"domain", c.domain},
                            {"sans", c.sans},
                            {"certificate_id", c.certificate_id ? json(*c.certificate_id) : json()},
                            {"sha256", c.sha256},
                            {"not_after", TimeJson(c.not_after)}});
  }
  return {{"machine_id", state.machine_id},
          {"machine", state.machine},
          {"revision", state.revision},
          {"certificates", certificates}};
}

// Keys in ascending order (json_text.h).
std::string DesiredText(const store::DesiredState& state) {
  JsonText out;
  out.BeginObject().Key("certificates").BeginArray();
  for (const auto& c : state.certificates) {
    out.BeginObject()
        .Key("certificate_id")
        .OptInt(c.certificate_id)
        .Key("domain")
        .String(c.domain)
        .Key("domain_id")
        .Int(c.domain_id)
        .Key("not_after")
        .Time(c.not_after)
        .Key("sans")
        .Strings(c.sans)
        .Key("sha256")
        .String(c.sha256)
        .EndObject();
  }
  out.EndArray()
      .Key("machine")
      .String(state.machine)
      .Key("machine_id")
      .Int(state.machine_id)
      .Key("revision")
      .Int(state.revision)
      .EndObject();
  return out.Take();
}

// Keys in ascending order (json_text.h); the fields of CertificateJson.
std::string AgentCertificateText(const store::CertificateVersion& c, std::string_view domain,
                                 std::string_view key_pem) {
  JsonText out;
  out.Reserve(c.chain_pem.size() + key_pem.size() + 1024);  // the PEMs' few escapes + the rest
  out.BeginObject()
      .Key("ari_window_end")
      .Time(c.ari_window_end)
      .Key("ari_window_start")
      .Time(c.ari_window_start)
      .Key("chain_pem")
      .String(c.chain_pem)
      .Key("created_at")
      .Time(c.created_at)
      .Key("domain")
      .String(domain)
      .Key("domain_id")
      .Int(c.domain_id)
      .Key("id")
      .Int(c.id)
      .Key("issuer")
      .String(c.issuer_cn)
      .Key("key_pem")
      .String(key_pem)
      .Key("names")
      .Strings(c.names)
      .Key("not_after")
      .Time(c.not_after)
      .Key("not_before")
      .Time(c.not_before)
      .Key("replaces_id")
      .OptInt(c.replaces_id)
      .Key("serial")
      .String(c.serial)
      .Key("sha256")
      .String(c.sha256)
      .Key("source")
      .String(store::CertificateSourceName(c.source))
      .EndObject();
  return out.Take();
}

// Keys in ascending order (json_text.h); the fields of DeploymentJson.
std::string StoredReportText(const store::StoredReport& r) {
  const store::Deployment& d = r.deployment;
  JsonText out;
  out.BeginObject()
      .Key("certificate_id")
      .Int(d.certificate_id)
      .Key("domain")
      .String(r.domain)
      .Key("error")
      .String(d.error)
      .Key("machine")
      .String(r.machine)
      .Key("reported_at")
      .Time(d.reported_at)
      .Key("sha256")
      .String(d.sha256)
      .Key("status")
      .String(store::DeploymentStatusName(d.status))
      .EndObject();
  return out.Take();
}

}  // namespace certfleet::hub::api
