// Orders (RFC 8555 §7.1.3, §7.4): request a certificate, finalize it with a CSR, poll.
//
// State in, state out: every call takes an Order and returns the CA's newer view of
// it, so the caller can persist it (OrderToJson) after every step and resume.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acme/polling.h"
#include "acme/problem.h"
#include "acme/session.h"
#include "common/error.h"

namespace certfleet::acme {

// §7.1.4 identifier object.
struct Identifier {
  std::string type = "dns";
  std::string value;
};

struct Order {
  std::string url;      // from the newOrder Location header
  std::string status;   // "pending", "ready", "processing", "valid", "invalid"
  std::string expires;  // RFC 3339 as the CA sent it; "" when absent
  std::vector<Identifier> identifiers;
  std::vector<std::string> authorizations;  // authorization URLs
  std::string finalize;
  std::string certificate;  // set once "valid"
  std::string profile;      // the profile the CA applied; "" when none
  std::string replaces;     // RFC 9773 §5: the ARI certificate ID this order replaces
  std::optional<Problem> error;
};

nlohmann::json OrderToJson(const Order& order);
// kProtocol naming the member when `json` is not a valid order object.
Result<Order> OrderFromJson(const nlohmann::json& json, std::string url);
// Fuzz entry point: parses an order response body.
Result<Order> ParseOrder(std::string_view body, std::string url);

struct NewOrderRequest {
  std::vector<std::string> names;  // already normalized (NormalizeDomainName)
  // Sent only when the directory advertises meta.profiles. Omitted silently when the
  // CA has no profiles (Pebble 2.4); kInvalidArgument (listing the CA's profiles)
  // when the CA has profiles but not this one.
  std::string profile;
  // RFC 9773 §5 "replaces": sent only when the directory has renewalInfo.
  std::string replaces;
};

// The newOrder JSON payload for `request` against `directory` (pure; tested directly).
Result<std::string> BuildNewOrderPayload(const Directory& directory,
                                         const NewOrderRequest& request);

Result<Order> NewOrder(Session& session, const Signer& signer, const NewOrderRequest& request);

// Fetches the order (POST-as-GET). The result keeps `order.url`.
Result<Order> FetchOrder(Session& session, const Signer& signer, const std::string& url);

// Submits the CSR (DER) to order.finalize (§7.4). Returns the order as the CA answered
// ("processing" or "valid"). An "orderNotReady" problem gives kConflict.
Result<Order> FinalizeOrder(Session& session, const Signer& signer, const Order& order,
                            std::string_view csr_der);

// Polls the order until its status is no longer in `waiting_statuses` (e.g.
// {"pending"} or {"processing"}), following `policy`. kDeadlineExceeded when the
// policy's deadline passes. Does not judge the final status: the caller does.
Result<Order> PollOrder(Session& session, const Signer& signer, Order order,
                        const std::vector<std::string>& waiting_statuses, const PollPolicy& policy);

}  // namespace certfleet::acme
