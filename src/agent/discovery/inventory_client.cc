#include "agent/discovery/inventory_client.h"

#include <nlohmann/json.hpp>

#include "agent/discovery/inventory_json.h"
#include "net/status_code.h"

namespace certfleet::agent::discovery {
namespace {

using nlohmann::json;

std::string HubMessage(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object() &&
      j["error"].contains("message") && j["error"]["message"].is_string()) {
    return j["error"]["message"].get<std::string>();
  }
  return body.substr(0, 200);
}

}  // namespace

Result<std::vector<UploadWanted>> ParseUploads(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("uploads") || !j["uploads"].is_array()) {
    return Fail(ErrorCode::kProtocol, "the hub's answer has no \"uploads\" list");
  }
  std::vector<UploadWanted> out;
  for (const json& u : j["uploads"]) {
    if (!u.is_object() || !u.contains("id") || !u["id"].is_number_integer() ||
        !u.contains("domain") || !u["domain"].is_string() || !u.contains("sha256") ||
        !u["sha256"].is_string()) {
      return Fail(ErrorCode::kProtocol, "the hub's upload request is malformed: " + u.dump());
    }
    out.push_back({u["id"].get<std::int64_t>(), u["domain"].get<std::string>(),
                   u["sha256"].get<std::string>()});
  }
  return out;
}

HttpInventoryClient::HttpInventoryClient(std::string hub_url, std::string token,
                                         std::shared_ptr<net::HttpTransport> transport)
    : base_(std::move(hub_url)), token_(std::move(token)), transport_(std::move(transport)) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

Result<std::string> HttpInventoryClient::Call(const std::string& method, const std::string& path,
                                              std::string body) {
  net::HttpRequest request{method, base_ + path, {}, std::move(body)};
  request.headers.Add("Authorization", "Bearer " + token_);
  if (!request.body.empty()) request.headers.Add("Content-Type", "application/json");
  auto response = transport_->Send(request);
  if (!response) return Fail(response.error());
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  return Fail(net::StatusToErrorCode(response->status),
              "hub answered " + std::to_string(response->status) + " to " + method + " " + path +
                  ": " + HubMessage(response->body));
}

Result<std::vector<UploadWanted>> HttpInventoryClient::Report(const Inventory& inventory) {
  auto body = Call("POST", "/api/v1/agent/inventory", InventoryJson(inventory).dump());
  if (!body) return Fail(body.error());
  return ParseUploads(*body);
}

Result<std::vector<UploadWanted>> HttpInventoryClient::PendingUploads() {
  auto body = Call("GET", "/api/v1/agent/uploads", "");
  if (!body) return Fail(body.error());
  return ParseUploads(*body);
}

Status HttpInventoryClient::Upload(std::int64_t id, const std::string& chain_pem,
                                   const std::string& key_pem) {
  const json body = {{"chain_pem", chain_pem}, {"key_pem", key_pem}};
  auto answer = Call("POST", "/api/v1/agent/uploads/" + std::to_string(id), body.dump());
  if (!answer) return Fail(answer.error());
  return Ok();
}

Status HttpInventoryClient::DeclineUpload(std::int64_t id, const std::string& reason) {
  const json body = {{"error", reason}};
  auto answer = Call("POST", "/api/v1/agent/uploads/" + std::to_string(id), body.dump());
  if (!answer) return Fail(answer.error());
  return Ok();
}

}  // namespace certfleet::agent::discovery
