// Store: the hub's durable state, as the aggregate of its role interfaces. Callers take
// the narrowest role they use (docs/design/2026-12-06-store-roles.md):
//
//   Catalog            store/catalog.h            customers, machines, domains, desired state
//   CertificateStore   store/certificate_store.h  certificate versions with sealed keys
//   IssuanceLedger     store/issuance_ledger.h    claims under a lease, orders
//   ChallengeBoard     store/challenge_board.h    HTTP-01 key authorizations
//   DelegationBook     store/delegation_book.h    DNS-01 delegation labels, checks, TXT records
//   Outbox             store/outbox.h             events, commit listener, consumer cursors
//   DeploymentLog      store/deployment_log.h     agents' deployment reports
//   TokenStore         store/token_store.h        API tokens
//   SessionBook        store/session_book.h       the web UI's sign-in sessions
//   AcmeAccountBook    store/acme_account_book.h  the hub's ACME account at each CA
//   NotificationQueue  store/notification_queue.h notifications waiting for delivery
//   AuditLog           store/audit_log.h          who changed what
//   InventoryBook      store/inventory_book.h     what agents discovered; upload requests
//   ExternalChallengeBoard store/external_challenge_board.h  HTTP-01 answers from outside
//                                                 ACME clients (certbot's hooks)
//
// Backends: SQLite (store/sqlite, the embedded default), the memory fake
// (store/testing/memory_store.h). Each passes the contract tests (store/*_contract_test.cc).
//
// Contract shared by every role of every backend:
// - Thread safety: safe for concurrent use from many threads. Reads never see a
//   half-applied mutation.
// - Every mutating call is exactly one transaction: it fully happens or not at all.
// - Errors: a missing row → kNotFound ("domain 42 not found"); a unique name/hash/token
//   taken → kAlreadyExists; a stale `version` or a lost lease → kConflict; a reference to
//   a row that does not exist (customer_id, machine_ids, ...) → kNotFound naming it;
//   deleting something still in use → kConflict naming what uses it; storage failure →
//   kUnavailable (busy/locked/unreachable) or kIo / kCorrupt.
// - Outbox: every mutation that other parts of the system must learn about appends its
//   events in the SAME transaction (DESIGN.md pipeline step 1), and writes one audit row
//   (actor, action, target, time, details). A failed mutation writes neither.
//   Housekeeping calls say "no event, no audit" in their comment. What the events are
//   (types, subjects, payloads, which machines a change affects) is decided by the
//   backend-neutral store/events.h; backends only persist them.
// - Events and audit rows never contain key material or token secrets.
#pragma once

#include "store/acme_account_book.h"
#include "store/audit_log.h"
#include "store/catalog.h"
#include "store/certificate_store.h"
#include "store/challenge_board.h"
#include "store/delegation_book.h"
#include "store/deployment_log.h"
#include "store/external_challenge_board.h"
#include "store/inventory_book.h"
#include "store/issuance_ledger.h"
#include "store/model.h"
#include "store/notification_queue.h"
#include "store/outbox.h"
#include "store/session_book.h"
#include "store/token_store.h"
#include "store/types.h"

namespace certfleet::store {

class Store : public Catalog,
              public CertificateStore,
              public IssuanceLedger,
              public ChallengeBoard,
              public DelegationBook,
              public Outbox,
              public DeploymentLog,
              public TokenStore,
              public SessionBook,
              public AcmeAccountBook,
              public NotificationQueue,
              public AuditLog,
              public InventoryBook,
              public ExternalChallengeBoard {
 public:
  ~Store() override = default;
};

}  // namespace certfleet::store
