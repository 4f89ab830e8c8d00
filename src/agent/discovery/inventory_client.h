// InventoryClient: the agent's discovery calls to the hub, scoped by the machine token
// (production: HttpInventoryClient; tests: FakeInventoryClient in fake_inventory_client.h).
//
//   POST /api/v1/agent/inventory        the report; answers the uploads the hub wants
//   GET  /api/v1/agent/uploads          uploads the hub wants from this machine
//   POST /api/v1/agent/uploads/{id}     {"chain_pem", "key_pem"} or {"error": why not}
//
// An upload is the hub asking for a certificate found on this host, after support adopted
// its name with issuer "manual": the hub names the leaf by SHA-256 and refuses anything
// else. Errors as HubClient's (kUnavailable: hub unreachable, kInvalidArgument: refused).
// Thread-compatible; key material passes through Upload and is never logged.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agent/discovery/inventory.h"
#include "common/error.h"
#include "net/http_transport.h"

namespace certfleet::agent::discovery {

struct UploadWanted {
  std::int64_t id = 0;
  std::string domain;
  std::string sha256;
};

class InventoryClient {
 public:
  virtual ~InventoryClient() = default;
  virtual Result<std::vector<UploadWanted>> Report(const Inventory& inventory) = 0;
  virtual Result<std::vector<UploadWanted>> PendingUploads() = 0;
  virtual Status Upload(std::int64_t id, const std::string& chain_pem,
                        const std::string& key_pem) = 0;
  virtual Status DeclineUpload(std::int64_t id, const std::string& reason) = 0;
};

class HttpInventoryClient final : public InventoryClient {
 public:
  HttpInventoryClient(std::string hub_url, std::string token,
                      std::shared_ptr<net::HttpTransport> transport);

  Result<std::vector<UploadWanted>> Report(const Inventory& inventory) override;
  Result<std::vector<UploadWanted>> PendingUploads() override;
  Status Upload(std::int64_t id, const std::string& chain_pem, const std::string& key_pem) override;
  Status DeclineUpload(std::int64_t id, const std::string& reason) override;

 private:
  Result<std::string> Call(const std::string& method, const std::string& path, std::string body);

  std::string base_;
  std::string token_;
  std::shared_ptr<net::HttpTransport> transport_;
};

// {"uploads": [{"id", "domain", "sha256"}, ...]} → the list; kProtocol naming the field.
Result<std::vector<UploadWanted>> ParseUploads(const std::string& body);

}  // namespace certfleet::agent::discovery
