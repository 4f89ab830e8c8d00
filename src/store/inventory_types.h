// Rows of the discovery state (issue 19): what agents found on their hosts, the uploads
// the hub asked them for when a discovered certificate was adopted, and HTTP-01 answers
// that outside ACME clients (certbot's manual hooks, lego) hand to the hub.
// Plain values; the roles that keep them are store/inventory_book.h and
// store/external_challenges.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/model.h"

namespace certfleet::store {

// One certificate seen on a machine under one name: either the ssl_certificate of a server
// block with that server_name ("file"), or what a TLS handshake with that SNI got ("served").
// The hub derives these rows from a validated report (hub/discovery/inventory_report.h);
// they exist for the fleet-wide views (by name, by expiry) without parsing every report.
struct InventoryEntry {
  Id machine_id = 0;
  std::string name;    // lower case: a server_name as written, or the SNI probed
  std::string origin;  // "file" or "served"
  std::string sha256;  // "" when the file could not be read / the handshake failed
  std::optional<TimePoint> not_after;
  std::string issuer;
  std::string key_type;
  std::string serial;
  std::string path;         // file: the certificate path; served: the address probed
  std::string status;       // file: "ok", "missing", "variable", ...; served: "ok" or "failed"
  std::string detail;       // why, when status is not "ok"
  std::string config_file;  // file: where the ssl_certificate directive is
  std::int32_t line = 0;
};

// A machine's latest discovery report.
struct MachineInventory {
  Id machine_id = 0;
  TimePoint collected_at{};  // by the agent
  TimePoint reported_at{};   // by the hub; refreshed by every report, changed or not
  TimePoint changed_at{};    // when the content last changed
  std::string digest;        // lower-case hex SHA-256 of body_json
  std::string body_json;     // the validated report, canonical JSON
  std::string nginx_error;   // non-empty when nginx -T failed on the host
  std::int32_t problems = 0;
  std::vector<InventoryEntry> entries;
};

struct InventoryQuery {
  std::optional<Id> machine_id;
  std::string name;                          // exact; "" = any
  std::optional<TimePoint> expiring_before;  // not_after < this
  std::int64_t limit = 10000;                // capped at 100000
};

enum class UploadState { kPending, kDone, kFailed };

// The hub asking an agent to upload a certificate found on its host (and its key) for a
// domain that adopted it. Unique per (machine, domain, sha256).
struct UploadRequest {
  Id id = 0;
  Id machine_id = 0;
  Id domain_id = 0;
  std::string domain;  // filled by the store
  std::string sha256;  // the leaf the agent must upload; anything else is refused
  UploadState state = UploadState::kPending;
  std::string error;
  TimePoint created_at{};
  std::optional<TimePoint> finished_at;
};

// An HTTP-01 key authorization an outside ACME client asked the hub to serve.
struct ExternalChallenge {
  std::string token;  // unique, base64url
  std::string key_authorization;
  Id domain_id = 0;
  std::string identifier;  // the name being validated (the domain's name or one of its SANs)
  std::string created_by;  // the actor, for the list view
  TimePoint created_at{};
  TimePoint expires_at{};
};

}  // namespace certfleet::store
