#include "acme/testing/fake_ca.h"

#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "crypto/jws.h"

namespace certfleet::acme::testing {
namespace {

constexpr std::string_view kBase = "https://ca.test";

net::HttpResponse Json(int status, const nlohmann::json& body, std::string location = "") {
  net::HttpResponse response{status, {}, body.dump()};
  response.headers.Add("Content-Type",
                       status >= 400 ? "application/problem+json" : "application/json");
  if (!location.empty()) response.headers.Add("Location", std::move(location));
  return response;
}

net::HttpResponse ProblemResponse(int status, const std::string& type, const std::string& detail) {
  return Json(status, {{"type", "urn:ietf:params:acme:error:" + type}, {"detail", detail}});
}

std::string Url(const std::string& path) { return std::string(kBase) + path; }

std::string Token(const std::string& authz_id) { return std::string(40, 't') + "-" + authz_id; }

}  // namespace

FakeCa::FakeCa(crypto::PrivateKey account_key, crypto::PrivateKey certificate_key)
    : account_key_(std::move(account_key)),
      certificate_key_(std::move(certificate_key)),
      default_ca_(crypto::testing::TestCa::Create(1, "certfleet Test").value()),
      alternate_ca_(crypto::testing::TestCa::Create(1, "Alternate").value()) {
  transport_.SetHandler([this](const net::HttpRequest& request) { return Handle(request); });
}

std::string FakeCa::default_top_issuer() const { return default_ca_.root().SubjectCommonName(); }

std::vector<nlohmann::json> FakeCa::new_order_payloads() const {
  std::lock_guard lock(mu_);
  return new_order_payloads_;
}

size_t FakeCa::jws_count() const {
  std::lock_guard lock(mu_);
  return jws_count_;
}

std::string FakeCa::NextNonce() {
  std::string nonce = "nonce" + std::to_string(++nonce_counter_);
  issued_nonces_.insert(nonce);
  return nonce;
}

Result<net::HttpResponse> FakeCa::Handle(const net::HttpRequest& request) {
  net::HttpResponse response;
  if (request.method == "GET" && request.url == directory_url()) {
    nlohmann::json dir = {{"newNonce", Url("/new-nonce")},
                          {"newAccount", Url("/new-account")},
                          {"newOrder", Url("/new-order")},
                          {"revokeCert", Url("/revoke")},
                          {"keyChange", Url("/key-change")}};
    if (!profiles_json.empty()) dir["meta"] = {{"profiles", nlohmann::json::parse(profiles_json)}};
    response = Json(200, dir);
  } else if (request.method == "HEAD" && request.url == Url("/new-nonce")) {
    response = net::HttpResponse{200, {}, ""};
  } else if (request.method == "POST") {
    auto handled = HandleJws(request);
    if (!handled) return handled;
    response = std::move(*handled);
  } else {
    response = ProblemResponse(404, "malformed", "no such resource " + request.url);
  }
  std::lock_guard lock(mu_);
  response.headers.Add("Replay-Nonce", NextNonce());
  return response;
}

Result<net::HttpResponse> FakeCa::HandleJws(const net::HttpRequest& request) {
  auto jws = nlohmann::json::parse(request.body, nullptr, false);
  if (!jws.is_object() || !jws.contains("protected"))
    return ProblemResponse(400, "malformed", "not a JWS");
  auto header =
      nlohmann::json::parse(*Base64UrlDecode(jws["protected"].get<std::string>()), nullptr, false);
  if (!header.is_object() || header.value("url", "") != request.url) {
    return ProblemResponse(400, "unauthorized", "the JWS url does not match the request URL");
  }
  auto payload = crypto::VerifyJws(account_key_, jws);
  if (!payload)
    return ProblemResponse(400, "malformed", "bad signature: " + payload.error().message);
  std::lock_guard lock(mu_);
  ++jws_count_;
  std::string nonce = header.value("nonce", "");
  bool known = issued_nonces_.erase(nonce) == 1;
  bool rejected =
      reject_every_nth_nonce > 0 && jws_count_ % static_cast<size_t>(reject_every_nth_nonce) == 0;
  if (!known || rejected) return ProblemResponse(400, "badNonce", "nonce " + nonce + " rejected");
  return Route(request.url.substr(kBase.size()), *payload);
}

net::HttpResponse FakeCa::Route(const std::string& path, const std::string& payload) {
  if (path == "/new-account") return Json(201, {{"status", "valid"}}, Url("/acct/1"));
  if (path == "/new-order") return HandleNewOrder(payload);
  if (path == "/revoke") return net::HttpResponse{200, {}, ""};
  if (path.starts_with("/authz/")) return HandleAuthorization(path.substr(7));
  if (path.starts_with("/chall/")) return HandleChallenge(path.substr(7));
  if (path.starts_with("/cert/")) {
    std::string id = path.substr(6);
    bool alternate = id.ends_with("/alt");
    return HandleCertificate(alternate ? id.substr(0, id.size() - 4) : id, alternate);
  }
  if (path.starts_with("/order/") && path.ends_with("/finalize"))
    return HandleFinalize(path.substr(7, path.size() - 16));
  if (path.starts_with("/order/")) return HandleOrderStatus(path.substr(7));
  return ProblemResponse(404, "malformed", "no such resource " + path);
}

net::HttpResponse FakeCa::HandleNewOrder(const std::string& payload) {
  nlohmann::json request = nlohmann::json::parse(payload);
  new_order_payloads_.push_back(request);
  for (const auto& identifier : request["identifiers"]) {
    const std::string name = identifier["value"].get<std::string>();
    if (rejected_names.contains(name)) {
      return ProblemResponse(400, "rejectedIdentifier",
                             "Error creating new order :: Cannot issue for \"" + name +
                                 "\": The ACME server refuses to issue a certificate for this "
                                 "domain name, because it is forbidden by policy");
    }
  }
  std::string id = std::to_string(order_state_.size() + 1);
  std::vector<std::string> names;
  for (const auto& identifier : request["identifiers"])
    names.push_back(identifier["value"].get<std::string>());
  order_identifiers_[id] = names;
  order_state_[id] = "pending";
  for (size_t j = 0; j < names.size(); ++j) {
    authz_state_[id + "-" + std::to_string(j)] =
        preauthorized_names.contains(names[j]) ? "valid" : "pending";
  }
  return HandleOrderStatus(id);
}

net::HttpResponse FakeCa::HandleOrderStatus(const std::string& id) {
  if (!order_state_.contains(id)) return ProblemResponse(404, "malformed", "no order " + id);
  if (order_state_[id] == "processing") order_state_[id] = "valid";
  nlohmann::json identifiers = nlohmann::json::array();
  nlohmann::json authorizations = nlohmann::json::array();
  const auto& names = order_identifiers_[id];
  bool all_valid = true;
  for (size_t j = 0; j < names.size(); ++j) {
    identifiers.push_back({{"type", "dns"}, {"value", names[j]}});
    authorizations.push_back(Url("/authz/" + id + "-" + std::to_string(j)));
    const std::string& authz = authz_state_[id + "-" + std::to_string(j)];
    if (authz == "invalid") order_state_[id] = "invalid";
    all_valid = all_valid && authz == "valid";
  }
  if (order_state_[id] == "pending" && all_valid) order_state_[id] = "ready";
  nlohmann::json order = {{"status", order_state_[id]},
                          {"identifiers", identifiers},
                          {"authorizations", authorizations},
                          {"finalize", Url("/order/" + id + "/finalize")}};
  if (order_state_[id] == "valid") order["certificate"] = Url("/cert/" + id);
  return Json(201, order, Url("/order/" + id));
}

net::HttpResponse FakeCa::HandleAuthorization(const std::string& id) {
  if (!authz_state_.contains(id))
    return ProblemResponse(404, "malformed", "no authorization " + id);
  std::string order_id = id.substr(0, id.find('-'));
  std::string name = order_identifiers_[order_id][std::stoul(id.substr(id.find('-') + 1))];
  std::string& state = authz_state_[id];
  const bool stale = state != "pending" && stale_pending_reads > 0;
  if (stale) {
    --stale_pending_reads;
    processing_left_[id] = 0;
  }
  if (state == "processing" && processing_left_[id]-- <= 0)
    state = failing_names.contains(name) ? "invalid" : "valid";
  if (stale) {
    nlohmann::json shown = {{"type", "http-01"},
                            {"url", Url("/chall/" + id)},
                            {"token", Token(id)},
                            {"status", "pending"}};
    return Json(200, {{"status", "pending"},
                      {"identifier", {{"type", "dns"}, {"value", name}}},
                      {"challenges", nlohmann::json::array({shown})}});
  }
  nlohmann::json challenge = {{"type", "http-01"},
                              {"url", Url("/chall/" + id)},
                              {"token", Token(id)},
                              {"status", state == "processing" ? "processing" : state}};
  if (state == "invalid") {
    challenge["error"] = {
        {"type", "urn:ietf:params:acme:error:connection"},
        {"detail", "127.0.0.1: Fetching http://" + name + "/.well-known/acme-challenge/" +
                       Token(id) + ": Connection refused"}};
  }
  nlohmann::json authz = {{"status", state == "processing" ? "pending" : state},
                          {"identifier", {{"type", "dns"}, {"value", name}}},
                          {"challenges", nlohmann::json::array({challenge})}};
  return Json(200, authz);
}

net::HttpResponse FakeCa::HandleChallenge(const std::string& id) {
  if (!authz_state_.contains(id)) return ProblemResponse(404, "malformed", "no challenge " + id);
  if (refuse_challenge_answers)
    return ProblemResponse(400, "malformed", "this CA refuses every challenge answer");
  if (authz_state_[id] !=
      "pending") {  // as Pebble (and RFC 8555 §7.5.1): answer pending challenges only
    return ProblemResponse(
        400, "malformed",
        "Cannot update challenge with status " + authz_state_[id] + ", only status pending");
  }
  authz_state_[id] = "processing";
  processing_left_[id] = processing_polls;
  return Json(200, {{"type", "http-01"},
                    {"url", Url("/chall/" + id)},
                    {"token", Token(id)},
                    {"status", "processing"}});
}

net::HttpResponse FakeCa::HandleFinalize(const std::string& id) {
  if (!order_state_.contains(id)) return ProblemResponse(404, "malformed", "no order " + id);
  if (order_state_[id] != "pending" && order_state_[id] != "ready") {
    return ProblemResponse(
        403, "orderNotReady",
        "Order's status (\"" + order_state_[id] + "\") is not acceptable for finalization");
  }
  const auto& names = order_identifiers_[id];
  for (size_t j = 0; j < names.size(); ++j) {
    if (authz_state_[id + "-" + std::to_string(j)] != "valid")
      return ProblemResponse(403, "orderNotReady", "not ready");
  }
  order_state_[id] = "processing";
  net::HttpResponse response = HandleOrderStatus(id);  // moves processing → valid for the next poll
  order_state_[id] = "valid";
  auto body = nlohmann::json::parse(response.body);
  body["status"] = "processing";
  body.erase("certificate");
  response.status = 200;
  response.body = body.dump();
  return response;
}

net::HttpResponse FakeCa::HandleCertificate(const std::string& id, bool alternate) {
  const auto& ca = alternate ? alternate_ca_ : default_ca_;
  auto leaf = ca.Issue({.dns_names = order_identifiers_[id], .key = certificate_key_});
  if (!leaf) return ProblemResponse(500, "serverInternal", leaf.error().message);
  net::HttpResponse response{200, {}, leaf->chain_pem};
  response.headers.Add("Content-Type", "application/pem-certificate-chain");
  if (!alternate)
    response.headers.Add("Link", "<" + Url("/cert/" + id + "/alt") + ">;rel=\"alternate\"");
  return response;
}

}  // namespace certfleet::acme::testing
