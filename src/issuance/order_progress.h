// OrderProgress: what src/issuance keeps in store::Order::acme_state_json, so that an
// order resumes after a crash from exactly the step it reached.
//
// It holds the request (names, key type, profile, the certificate it replaces), the
// account that owns the order, the CA's last view of the order, and — from the kReady
// step on — the certificate's new private key, sealed with the Envelope. The key is
// saved BEFORE finalize, so a crash after finalize downloads the certificate and stores
// it with the same key; an order is never finalized with two different keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "acme/order.h"
#include "common/error.h"
#include "crypto/envelope.h"
#include "crypto/key.h"
#include "issuance/renewal_policy.h"
#include "store/model.h"

namespace certfleet::issuance {

struct OrderProgress {
  IssuanceSpec spec;  // what the order asks for; spec.key_type is a crypto::KeyTypeName
  std::optional<store::Id> replaces_id;  // the certificate this order renews
  std::string replaces_ari;              // RFC 9773 certificate ID of that certificate; "" = none
  std::string account_url;               // the account that created the order ("" before newOrder)
  std::optional<acme::Order> order;      // the CA's last view; nullopt before newOrder
  // crypto::SealKey(…, crypto::OrderKeyAssociatedData(domain, order id)); "" until generated
  std::string sealed_key;
};

std::string ProgressToJson(const OrderProgress& progress);
// kCorrupt naming the member when `json` is not what ProgressToJson wrote.
Result<OrderProgress> ProgressFromJson(std::string_view json);

// Maps a domain's key_type to a crypto::KeyType: the crypto names ("ec-p256", ...),
// their short forms ("ec256", "ec384", "rsa2048", "rsa3072", "rsa4096"), and "" for the
// default, EC P-256. kInvalidArgument listing the accepted names otherwise.
Result<crypto::KeyType> ParseDomainKeyType(std::string_view key_type);

}  // namespace certfleet::issuance
