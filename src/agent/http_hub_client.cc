#include "agent/http_hub_client.h"

#include <nlohmann/json.hpp>

#include "agent/json_integer.h"
#include "common/time_format.h"
#include "net/status_code.h"

namespace certfleet::agent {
namespace {

using nlohmann::json;

constexpr const char* kAgentVersion = "certfleet-agent/0.1";

// The hub's JSON error message ({"error": {"message": ...}} or {"message": ...}), else the body.
std::string HubMessage(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_object()) {
    const json* message = nullptr;
    if (j.contains("error") && j["error"].is_object() && j["error"].contains("message")) {
      message = &j["error"]["message"];
    } else if (j.contains("message")) {
      message = &j["message"];
    }
    if (message != nullptr)
      return message->is_string() ? message->get<std::string>() : message->dump();
  }
  return body.substr(0, 200);
}

template <typename T, typename F>
Result<T> ParseWith(const std::string& body, const char* what, F&& parse) {
  // nlohmann signals missing fields and wrong types by exception; contain them here.
  try {
    return parse(json::parse(body));
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kProtocol,
                std::string("the hub's ") + what + " is malformed: " + e.what());
  }
}

std::optional<TimePoint> OptionalTime(const json& j) {
  if (j.is_null()) return std::nullopt;
  auto t = ParseRfc3339(j.get<std::string>());
  if (!t) throw std::runtime_error("bad time " + j.get<std::string>());
  return *t;
}

}  // namespace

Result<DesiredState> ParseDesiredState(const std::string& body) {
  return ParseWith<DesiredState>(body, "desired state", [](const json& j) {
    DesiredState state;
    state.machine = j.at("machine").get<std::string>();
    state.revision = JsonInteger<Revision>(j.at("revision"));
    for (const json& c : j.at("certificates")) {
      DesiredCertificate d;
      d.domain = c.at("domain").get<std::string>();
      d.sans = c.at("sans").get<std::vector<std::string>>();
      if (!c.at("certificate_id").is_null())
        d.certificate_id = JsonInteger<CertificateId>(c.at("certificate_id"));
      d.sha256 = c.at("sha256").get<std::string>();
      d.not_after = OptionalTime(c.at("not_after"));
      state.certificates.push_back(std::move(d));
    }
    return state;
  });
}

Result<CertificateBundle> ParseCertificateBundle(const std::string& body) {
  return ParseWith<CertificateBundle>(body, "certificate", [](const json& j) {
    return CertificateBundle{JsonInteger<CertificateId>(j.at("id")),
                             j.at("domain").get<std::string>(), j.at("sha256").get<std::string>(),
                             j.at("chain_pem").get<std::string>(),
                             j.at("key_pem").get<std::string>()};
  });
}

Result<WatchPage> ParseWatchPage(const std::string& body) {
  return ParseWith<WatchPage>(body, "event page", [](const json& j) {
    WatchPage page;
    page.revision = JsonInteger<Revision>(j.at("revision"));
    for (const json& e : j.at("events")) {
      page.event_types.push_back(e.at("type").get<std::string>());
      if (page.event_types.back() != kRedeployEvent) continue;
      const json payload = e.value("payload", json::object());
      page.redeploy.push_back(payload.is_object() ? payload.value("domain", "") : "");
    }
    return page;
  });
}

HttpHubClient::HttpHubClient(std::string hub_url, std::string token,
                             std::shared_ptr<net::HttpTransport> api,
                             std::shared_ptr<net::HttpTransport> watch,
                             std::function<void()> cancel_watch)
    : base_(std::move(hub_url)),
      token_(std::move(token)),
      api_(std::move(api)),
      watch_(std::move(watch)),
      cancel_watch_(std::move(cancel_watch)) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

Result<std::string> HttpHubClient::Call(net::HttpTransport& transport, const std::string& method,
                                        const std::string& path, std::string body) const {
  net::HttpRequest request{method, base_ + path, {}, std::move(body)};
  request.headers.Add("Authorization", "Bearer " + token_);
  request.headers.Add("X-Certfleet-Agent-Version", kAgentVersion);
  if (!request.body.empty()) request.headers.Add("Content-Type", "application/json");
  auto response = transport.Send(request);
  if (!response) return Fail(response.error());
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  return Fail(net::StatusToErrorCode(response->status),
              "hub answered " + std::to_string(response->status) + " to " + method + " " + path +
                  ": " + HubMessage(response->body));
}

Result<DesiredState> HttpHubClient::GetDesiredState() {
  auto body = Call(*api_, "GET", "/api/v1/agent/desired", "");
  if (!body) return Fail(body.error());
  return ParseDesiredState(*body);
}

Result<CertificateBundle> HttpHubClient::GetCertificate(CertificateId id) {
  auto body = Call(*api_, "GET", "/api/v1/agent/certificates/" + std::to_string(id), "");
  if (!body) return Fail(body.error());
  return ParseCertificateBundle(*body);
}

Status HttpHubClient::ReportDeployment(const DeploymentReport& r) {
  const char* status = r.outcome == DeploymentOutcome::kDeployed  ? "deployed"
                       : r.outcome == DeploymentOutcome::kPending ? "pending"
                                                                  : "failed";
  json report = {{"certificate_id", r.certificate_id},
                 {"status", status},
                 {"sha256", r.sha256},
                 {"error", r.error}};
  // Replace, never throw: the error text may carry any bytes a command printed.
  auto body = Call(*api_, "POST", "/api/v1/agent/deployments",
                   report.dump(-1, ' ', false, json::error_handler_t::replace));
  if (!body) return Fail(body.error());
  return Ok();
}

void HttpHubClient::CancelWatch() {
  if (cancel_watch_) cancel_watch_();
}

Result<WatchPage> HttpHubClient::Watch(Revision since, std::chrono::seconds wait) {
  auto body = Call(*watch_, "GET",
                   "/api/v1/events?since=" + std::to_string(since) +
                       "&wait=" + std::to_string(wait.count()) + "&types=machine.desired_changed," +
                       kRedeployEvent,
                   "");
  if (!body) return Fail(body.error());
  return ParseWatchPage(*body);
}

}  // namespace certfleet::agent
