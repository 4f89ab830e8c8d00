// The JSON of the agent endpoints' answers on every pass (GET /api/v1/agent/desired and
// /certificates/{id}), written as text with JsonText instead of through an nlohmann value
// (issue 16). DesiredJson is the same shape as a value: the reference the tests hold the
// text against.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "store/store.h"

namespace certfleet::hub::api {

// {"certificates": [{"certificate_id", "domain", "domain_id", "not_after", "sans",
// "sha256"}...], "machine", "machine_id", "revision"}
nlohmann::json DesiredJson(const store::DesiredState& state);
// DesiredJson(state) serialized.
std::string DesiredText(const store::DesiredState& state);

// CertificateJson(c, /*with_chain=*/true) with "domain" and "key_pem" added, serialized.
std::string AgentCertificateText(const store::CertificateVersion& c, std::string_view domain,
                                 std::string_view key_pem);

// DeploymentJson of a stored report (its machine's and domain's names as the store read
// them), serialized: POST /api/v1/agent/deployments' answer.
std::string StoredReportText(const store::StoredReport& r);

}  // namespace certfleet::hub::api
