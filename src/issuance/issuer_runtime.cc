#include "issuance/issuer_runtime.h"

namespace certfleet::issuance {

IssuerRuntime::IssuerRuntime(IssuerConfig config, std::unique_ptr<net::HttpTransport> transport,
                             const crypto::Envelope& envelope, Clock& clock,
                             std::filesystem::path data_dir, ReachabilityOptions reachability,
                             store::AcmeAccountBook* accounts)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      clock_(clock),
      account_(config_, envelope, std::move(data_dir), accounts),
      pacer_(config_.orders_per_window, config_.window),
      reachability_(reachability) {}

Result<acme::Session*> IssuerRuntime::Session() {
  std::lock_guard lock(mu_);
  if (!session_) {
    auto opened = acme::Session::Open(*transport_, clock_, config_.directory_url);
    if (!opened)
      return Fail(
          opened.error().WithContext("issuer " + config_.name + ": reading the ACME directory"));
    session_ = std::move(*opened);
  }
  return session_.get();
}

Status IssuerRuntime::Probe() {
  auto directory = acme::FetchDirectory(*transport_, config_.directory_url);
  if (!directory) return Fail(directory.error());
  auto nonce = transport_->Send(net::HttpRequest{"HEAD", directory->new_nonce, {}, ""});
  if (!nonce) return Fail(nonce.error());
  if (nonce->status < 200 || nonce->status >= 300) {
    return Fail(nonce->status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kProtocol,
                "HEAD " + directory->new_nonce + ": HTTP status " + std::to_string(nonce->status));
  }
  return Ok();
}

}  // namespace certfleet::issuance
