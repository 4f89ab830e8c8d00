#include "hub/delegated_zone.h"

#include <spdlog/spdlog.h>

namespace certfleet::hub {

DelegatedZone::DelegatedZone(const solver::DelegationConfig& config, store::DelegationBook& book,
                             Clock& clock, std::chrono::milliseconds reload_interval)
    : config_(config),
      store_board_(book),
      snapshot_(issuance::DelegatedTxtLoader(book, clock), clock, reload_interval),
      reloading_(std::make_unique<solver::ReloadingBoard>(store_board_, snapshot_)) {}

DelegatedZone::~DelegatedZone() { Stop(); }

Result<std::unique_ptr<DelegatedZone>> DelegatedZone::Start(
    const solver::DelegationConfig& config, store::DelegationBook& book, Clock& clock,
    std::chrono::milliseconds reload_interval) {
  std::unique_ptr<DelegatedZone> zone(new DelegatedZone(config, book, clock, reload_interval));
  if (auto loaded = zone->snapshot_.Start(); !loaded)
    return Fail(loaded.error().WithContext("loading the delegated zone's records"));
  auto answerer = dns::ZoneAnswerer::Create(
      {.zone = config.zone, .nameservers = config.nameservers, .hostmaster = config.hostmaster},
      zone->snapshot_);
  if (!answerer) return Fail(answerer.error().WithContext("[dns01.delegation]"));
  zone->answerer_ = std::move(*answerer);
  auto server = dns::DnsServer::Start(
      {.listen = config.listen, .udp_threads = config.udp_threads, .rate_limit = config.rate_limit},
      *zone->answerer_);
  if (!server) return Fail(server.error().WithContext("[dns01.delegation] listen"));
  zone->server_ = std::move(*server);
  spdlog::info("hub: answering DNS for {} on {} (UDP and TCP)", config.zone,
               zone->server_->address().ToString());
  return zone;
}

std::vector<dns::ServerAddress> DelegatedZone::Responders() const {
  dns::ServerAddress own = server_->address();
  if (own.ip == "0.0.0.0") own.ip = "127.0.0.1";
  if (own.ip == "::") own.ip = "::1";
  std::vector<dns::ServerAddress> responders{own};
  responders.insert(responders.end(), config_.peers.begin(), config_.peers.end());
  return responders;
}

void DelegatedZone::Stop() {
  if (server_) server_->Stop();
  snapshot_.Stop();
}

}  // namespace certfleet::hub
