// HttpHubClient: HubClient over the hub's REST API (src/hub/api/agent.cc, events.cc),
// with the machine token as "Authorization: Bearer". Requests go through an
// net::HttpTransport (production: net::BeastTransport, keep-alive); the watch long poll
// gets its own transport so its long timeout never delays the other calls.
//
// Thread-safe (HubClient contract). Never logs the token or key material.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "agent/hub_client.h"
#include "net/http_transport.h"

namespace certfleet::agent {

class HttpHubClient final : public HubClient {
 public:
  // `hub_url` like "https://hub.example.net:8440" (no trailing path needed).
  // `cancel_watch` ends requests in flight on `watch` (e.g. net::BeastTransport::Cancel);
  // empty = CancelWatch does nothing.
  HttpHubClient(std::string hub_url, std::string token, std::shared_ptr<net::HttpTransport> api,
                std::shared_ptr<net::HttpTransport> watch, std::function<void()> cancel_watch = {});

  Result<DesiredState> GetDesiredState() override;
  Result<CertificateBundle> GetCertificate(CertificateId id) override;
  Status ReportDeployment(const DeploymentReport& report) override;
  Result<WatchPage> Watch(Revision since, std::chrono::seconds wait) override;
  void CancelWatch() override;

 private:
  Result<std::string> Call(net::HttpTransport& transport, const std::string& method,
                           const std::string& path, std::string body) const;

  std::string base_;
  std::string token_;
  std::shared_ptr<net::HttpTransport> api_;
  std::shared_ptr<net::HttpTransport> watch_;
  std::function<void()> cancel_watch_;
};

// Parsers for the hub's JSON answers (exposed for tests). kProtocol naming the field.
Result<DesiredState> ParseDesiredState(const std::string& body);
Result<CertificateBundle> ParseCertificateBundle(const std::string& body);
Result<WatchPage> ParseWatchPage(const std::string& body);

}  // namespace certfleet::agent
