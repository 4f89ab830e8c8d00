// DelegatedZone: the hub's authoritative DNS for the zone delegated to the hubs
// ([dns01.delegation], issue 15) — the DNS twin of the HTTP-01 responder.
//
// It answers from a TxtSnapshot of the store's delegated TXT records (reloaded every
// `reload_interval`, and at once after this hub publishes or withdraws through board()),
// so several hubs on one PostgreSQL answer the same records; a record published by
// another hub is answered within `reload_interval`. The responder listens on
// [dns01.delegation] listen, UDP and TCP (port 0: any free port, for tests).
//
// Thread safety: board() is thread-safe; Start/Stop from one thread. Stop is idempotent
// and run by the destructor.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "dns/responder/dns_server.h"
#include "dns/responder/zone_answer.h"
#include "issuance/delegation_gate.h"
#include "solver/dns01/dns01_config.h"
#include "solver/dns01/txt_snapshot.h"
#include "store/delegation_book.h"

namespace certfleet::hub {

class DelegatedZone {
 public:
  // Loads the records, binds the listener and starts answering. kIo naming the address
  // when it cannot be bound (port 53 needs CAP_NET_BIND_SERVICE). `book` and `clock`
  // must outlive the zone.
  static Result<std::unique_ptr<DelegatedZone>> Start(
      const solver::DelegationConfig& config, store::DelegationBook& book, Clock& clock,
      std::chrono::milliseconds reload_interval = std::chrono::milliseconds(500));
  ~DelegatedZone();

  // Where this hub's records go: the store, then this responder's snapshot.
  solver::DelegatedTxtBoard& board() { return *reloading_; }
  // The responders a new record must be answered by before the CA is told: this one
  // (0.0.0.0 / :: asked on loopback) and the configured peers.
  std::vector<dns::ServerAddress> Responders() const;
  dns::ServerAddress address() const { return server_->address(); }
  dns::DnsServerStats stats() const { return server_->stats(); }
  void Stop();

 private:
  DelegatedZone(const solver::DelegationConfig& config, store::DelegationBook& book, Clock& clock,
                std::chrono::milliseconds reload_interval);

  const solver::DelegationConfig config_;
  issuance::StoreTxtBoard store_board_;
  solver::TxtSnapshot snapshot_;
  std::unique_ptr<solver::ReloadingBoard> reloading_;
  std::unique_ptr<dns::ZoneAnswerer> answerer_;
  std::unique_ptr<dns::DnsServer> server_;
};

}  // namespace certfleet::hub
