// The order state machine (the cert-manager Sync idea): given an order as saved in the
// store, take ONE step and return the order to save. A crash between steps loses at
// most the step in flight; the next worker resumes from the saved state.
//
//   kNew        → newOrder                          → kPending | kReady | kFailed
//   kPending    → present, respond, poll, clean up  → kReady | kFailed
//   kReady      → generate + seal the new key       → kReady (key saved, not finalized yet)
//   kReady+key  → CSR, finalize                     → kProcessing | kValid | kFailed
//   kProcessing → poll                              → kValid | kFailed
//   kValid      → download the (preferred) chain    → a CertificateVersion to store;
//                 Store::AddCertificate stores it and marks the order kCompleted at once.
//
// Outcomes: a permanent problem (the CA refused a name, validation failed, the order
// became invalid or expired) returns the order as kFailed with the CA's detail in
// `error`. A transient one (CA unreachable, 5xx, timeout, rate limit) returns an Error
// and the saved order stays as it was, to be resumed later. An order created by another
// ACME account than the current signer's (the CA forgot the old one) is kAbandoned.
// Every message names the domain and the step:
//   "tickets.example.com: http-01 challenge failed: the CA said: connection: ..."
//
// Touches no store: solvers do their own storing, and the caller saves the result.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "acme/challenge_solver.h"
#include "acme/polling.h"
#include "acme/session.h"
#include "common/error.h"
#include "crypto/envelope.h"
#include "store/model.h"

namespace certfleet::issuance {

struct OrderContext {
  acme::Session& session;
  acme::Signer signer;
  std::vector<acme::ChallengeSolver*> solvers;  // not owned; preference order
  const crypto::Envelope& envelope;
  acme::PollPolicy poll;
  std::string preferred_chain;  // issuer CN; "" = the CA's default chain
  std::string domain;           // the domain's primary name (messages, key binding)
};

struct StepResult {
  store::Order order;  // the order to save (state, acme_state_json, error)
  // Set by the kValid step: the certificate to store with Store::AddCertificate (its
  // order_id set, so storing it completes the order). The order itself is unchanged.
  std::optional<store::CertificateVersion> certificate;
  std::vector<std::string> warnings;  // e.g. a challenge clean-up that failed
};

// Takes one step from `order.state` (which must not be terminal). Errors are transient.
Result<StepResult> AdvanceOrder(const OrderContext& context, const store::Order& order);

// True for errors after which retrying the same order cannot help (the order fails).
bool IsPermanentOrderError(const Error& error);

}  // namespace certfleet::issuance
