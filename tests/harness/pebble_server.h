// PebbleServer: a private Pebble ACME CA (+ pebble-challtestsrv as its DNS) on free
// loopback ports, for integration tests. See ../shared/TESTBED.md.
//
//   auto pebble = PebbleServer::Start({.http_port = responder_port});
//   ASSERT_TRUE(pebble) << pebble.error().message;
//   client.directory_url = (*pebble)->DirectoryUrl();   // https://127.0.0.1:P/dir
//   transport.ca_file = (*pebble)->CaFile();             // trusts Pebble's HTTPS
//
// Pebble validates HTTP-01 by GETting http://<name>:<http_port>/.well-known/acme-challenge/
// <token> three times; every name resolves to 127.0.0.1 through challtestsrv.
// Pebble keeps its state in memory: a restart forgets accounts and makes new roots.
// Logs of both processes live in the TempDir; the destructor prints them when the
// current test has failed. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::harness {

struct PebbleOptions {
  std::uint16_t http_port = 0;  // where Pebble sends HTTP-01 requests; 0: a free port
  std::uint16_t tls_port = 0;   // TLS-ALPN-01 port; 0: a free port
  // Environment knobs (nullopt: Pebble's default). Pebble's default nonce rejection is
  // 5 %; tests that are not about badNonce may set 0.
  std::optional<int> nonce_reject_percent;  // PEBBLE_WFE_NONCEREJECT
  std::optional<int> chain_length;          // PEBBLE_CHAIN_LENGTH
  std::optional<int> authz_reuse_percent;   // PEBBLE_AUTHZREUSE
  std::optional<int> alternate_roots;       // PEBBLE_ALTERNATE_ROOTS
  bool always_valid = false;                // PEBBLE_VA_ALWAYS_VALID: skip validation
  // External Account Binding: kid → base64url HMAC key; `eab_required` makes it mandatory.
  std::map<std::string, std::string> eab_keys;
  bool eab_required = false;
  // The DNS server Pebble resolves through ("127.0.0.1:PORT"), e.g. a NamedServer with
  // recursion; "" starts pebble-challtestsrv (every name → 127.0.0.1) instead.
  std::string dns_server;
  // "certificateValidityPeriod": issued certificates last this long (0: Pebble's 5 years),
  // for renewal tests with real short-lived certificates.
  std::chrono::seconds certificate_validity{0};
  std::chrono::milliseconds start_timeout{15'000};
};

class PebbleServer {
 public:
  // Makes the certificates, writes the config and starts both processes, then waits
  // until /dir answers. Fails with the step and the process logs in the message.
  static Result<std::unique_ptr<PebbleServer>> Start(PebbleOptions options = {});
  ~PebbleServer();

  std::string DirectoryUrl() const;  // https://127.0.0.1:<listen>/dir
  std::string CaFile() const;        // PEM of the CA that signed Pebble's HTTPS certificate
  std::uint16_t listen_port() const { return listen_port_; }
  std::uint16_t management_port() const { return management_port_; }
  std::uint16_t http_port() const { return options_.http_port; }
  std::uint16_t tls_port() const { return options_.tls_port; }
  std::uint16_t dns_port() const { return dns_port_; }
  std::uint16_t challtestsrv_port() const { return challtestsrv_port_; }  // its management API
  const TempDir& dir() const { return dir_; }

  // The issuing root / intermediate number `index` as PEM (new on every start).
  Result<std::string> RootPem(int index = 0) const;
  Result<std::string> IntermediatePem(int index = 0) const;

  // Stops Pebble only (challtestsrv keeps running), e.g. to test an unreachable CA.
  void StopPebble();
  // Starts Pebble again on the same ports and config (after StopPebble).
  Status RestartPebble();
  // Stops both processes by PID. Idempotent; the destructor calls it.
  void Stop();

  // Both logs, for failure messages.
  std::string Logs() const;

 private:
  explicit PebbleServer(PebbleOptions options) : options_(std::move(options)), dir_("pebble") {}
  Status MakeCertificates();
  Status WriteConfig();
  Status StartChalltestsrv();
  Status StartPebble();
  Result<std::string> Fetch(const std::string& path) const;

  PebbleOptions options_;
  TempDir dir_;
  std::uint16_t listen_port_ = 0;
  std::uint16_t management_port_ = 0;
  std::uint16_t dns_port_ = 0;
  std::uint16_t challtestsrv_port_ = 0;
  std::unique_ptr<Subprocess> challtestsrv_;
  std::unique_ptr<Subprocess> pebble_;
};

}  // namespace certfleet::harness
