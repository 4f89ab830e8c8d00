// ACME client request metrics (cert-manager's certmanager_http_acme_client_request_count and
// _duration_seconds, as certfleet_http_acme_client_requests_total and
// certfleet_http_acme_client_request_duration_seconds): every request the issuance worker
// sends to a CA, counted by scheme, host, path, method and status.
//
// `path` is the URL path up to its first variable segment, which becomes "*"
// ("/acme/order/123/456" → "/acme/order/*", "/my-order/aBc" → "/my-order/*"), so the label
// has one value per ACME resource type, not one per order. `status` is the HTTP status, or
// "error" when no response arrived.
//
// Thread-safe; process-wide, so every issuer's transport adds to the same table.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/http_transport.h"

namespace certfleet::issuance {

struct AcmeRequestKey {
  std::string scheme, host, path, method, status;
  bool operator<(const AcmeRequestKey& o) const;
};

struct AcmeRequestStats {
  AcmeRequestKey key;
  std::uint64_t count = 0;
  double seconds = 0;  // total duration
};

// "/acme/order/123/456" → "/acme/order/*" (see above).
std::string AcmePathLabel(std::string_view url_path);

// Adds one request to the table.
void RecordAcmeRequest(const net::HttpRequest& request, int status,
                       std::chrono::steady_clock::duration took);

// The whole table, sorted by key.
std::vector<AcmeRequestStats> AcmeRequestTable();

// Wraps `inner`, recording every Send.
std::unique_ptr<net::HttpTransport> MeasureAcmeRequests(std::unique_ptr<net::HttpTransport> inner);

}  // namespace certfleet::issuance
