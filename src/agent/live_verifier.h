// The live check after a reload: does the server really present the new certificate?
//
// A TLS handshake with SNI (OpenSSL directly: s_client costs ~40 ms itself) to the
// verify address; the peer's leaf is compared by SHA-256 fingerprint. Trust is not the
// question here (the chain was checked before the reload), so the peer is not verified.
// Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "crypto/x509.h"

namespace certfleet::agent {

// The leaf `address` ("HOST:PORT", "[::1]:443") presents for SNI `server_name`.
// kUnavailable (connect/handshake failed, with the reason: "nothing answered on
// 127.0.0.1:443 (Connection refused)") or kDeadlineExceeded.
Result<crypto::Certificate> FetchServedCertificate(const std::string& address,
                                                   const std::string& server_name,
                                                   Duration timeout);

// SHA-256 (lower-case hex) of FetchServedCertificate's leaf.
Result<std::string> FetchServedSha256(const std::string& address, const std::string& server_name,
                                      Duration timeout);

// What a server presented while we waited for a certificate (CheckServed).
struct ServeCheck {
  bool served = false;
  std::optional<crypto::Certificate> last;  // the last other certificate seen, if any
  std::string last_error;                   // the last probe's error when none was seen
};

// Polls until `matches_required` handshakes in a row (a probe interval apart) present
// `expected_sha256`, or `timeout` (counted from the call) passes. The first probe waits
// `first_probe_after` (clamped to the timeout): a server that is still re-reading its
// configuration can only present the old certificate, and each handshake then costs it
// CPU it needs for the reload.
ServeCheck CheckServed(const std::string& address, const std::string& server_name,
                       const std::string& expected_sha256, Duration timeout,
                       Duration first_probe_after, int matches_required);

// "it served certificate <sha> (a.example, www.a.example)" or "no certificate was seen:
// <the last probe's error>", for messages.
std::string DescribeServed(const ServeCheck& check);

// CheckServed with three matches in a row (after a reload, nginx's old workers go on
// answering for a while); the error says what was served instead.
Status WaitUntilServed(const std::string& address, const std::string& server_name,
                       const std::string& expected_sha256, Duration timeout,
                       Duration first_probe_after = Duration(0));

// The SNI name to probe for a domain: the name itself, or for "*.example.com" a name the
// wildcard covers.
std::string ProbeName(const std::string& domain);

}  // namespace certfleet::agent
