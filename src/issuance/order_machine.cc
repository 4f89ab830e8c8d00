#include "issuance/order_machine.h"

#include "acme/authorize.h"
#include "acme/certificate.h"
#include "acme/order.h"
#include "crypto/csr.h"
#include "crypto/sealed_key.h"
#include "crypto/secret.h"
#include "crypto/x509.h"
#include "issuance/order_progress.h"

namespace certfleet::issuance {
namespace {

using store::OrderState;

// One step in progress: the saved order, its decoded progress, and the result.
struct Step {
  const OrderContext& ctx;
  StepResult result;
  OrderProgress progress;

  // Moves to `state` (unchanged when omitted) and encodes the progress for saving.
  StepResult Finish(std::optional<OrderState> state = std::nullopt) {
    if (state) result.order.state = *state;
    result.order.acme_state_json = ProgressToJson(progress);
    return std::move(result);
  }
  StepResult Failed(const Error& error) {
    result.order.state = OrderState::kFailed;
    result.order.error = error.message;
    return Finish();
  }
  // "<domain>: <step>: <error>"; an empty `step` when the error already names it.
  Error Context(const Error& error, std::string_view step) const {
    return error.WithContext(step.empty() ? ctx.domain : ctx.domain + ": " + std::string(step));
  }
};

// A permanent error fails the order; a transient one is returned for a later retry.
Result<StepResult> FailOrRetry(Step& step, const Error& error, std::string_view what) {
  const Error described = step.Context(error, what);
  if (IsPermanentOrderError(error)) return step.Failed(described);
  return Fail(described);
}

// Moves to the state that matches the CA's order status (RFC 8555 §7.1.6).
Result<StepResult> FollowStatus(Step& step, const acme::Order& order) {
  step.progress.order = order;
  const std::string& status = order.status;
  if (status == "pending") return step.Finish(OrderState::kPending);
  if (status == "ready") return step.Finish(OrderState::kReady);
  if (status == "processing") return step.Finish(OrderState::kProcessing);
  if (status == "valid") return step.Finish(OrderState::kValid);
  if (status == "invalid") {
    Error error{ErrorCode::kAcmeProblem, "the CA reports the order as invalid (failed or expired)"};
    if (order.error) error = acme::ProblemToError(*order.error);
    return step.Failed(step.Context(error, "order " + order.url));
  }
  return Fail(step.Context(
      Error{ErrorCode::kProtocol, "the CA sent an unknown order status \"" + status + "\""},
      "order " + order.url));
}

Result<StepResult> StepNew(Step& step) {
  acme::NewOrderRequest request{step.progress.spec.names, step.progress.spec.profile,
                                step.progress.replaces_ari};
  auto order = acme::NewOrder(step.ctx.session, step.ctx.signer, request);
  // acme::NewOrder's errors say "creating the order".
  if (!order) return FailOrRetry(step, order.error(), "");
  step.progress.account_url = step.ctx.signer.kid;
  return FollowStatus(step, *order);
}

Result<acme::Order> Refresh(Step& step) {
  return acme::FetchOrder(step.ctx.session, step.ctx.signer, step.progress.order->url);
}

Result<StepResult> StepPending(Step& step) {
  auto order = Refresh(step);
  if (!order) return FailOrRetry(step, order.error(), "fetching the order");
  if (order->status != "pending") return FollowStatus(step, *order);
  auto authorized = acme::AuthorizeOrder(step.ctx.session, step.ctx.signer, *order,
                                         step.ctx.solvers, step.ctx.poll, &step.result.warnings);
  if (!authorized) {
    // AuthorizeOrder's errors already name the identifier and the challenge step.
    if (IsPermanentOrderError(authorized.error())) return step.Failed(authorized.error());
    return Fail(authorized.error());
  }
  auto decided =
      acme::PollOrder(step.ctx.session, step.ctx.signer, *order, {"pending"}, step.ctx.poll);
  if (!decided) return FailOrRetry(step, decided.error(), "waiting for the order to become ready");
  return FollowStatus(step, *decided);
}

Result<StepResult> GenerateKey(Step& step) {
  auto type = ParseDomainKeyType(step.progress.spec.key_type);
  if (!type) return step.Failed(step.Context(type.error(), "generating the certificate key"));
  auto key = crypto::PrivateKey::Generate(*type);
  if (!key) return Fail(step.Context(key.error(), "generating the certificate key"));
  step.progress.sealed_key =
      crypto::SealKey(step.ctx.envelope, *key,
                      crypto::OrderKeyAssociatedData(step.ctx.domain, step.result.order.id));
  return step.Finish();  // saved before finalize: see order_progress.h
}

Result<StepResult> StepReady(Step& step) {
  if (step.progress.sealed_key.empty()) return GenerateKey(step);
  auto key = crypto::OpenKey(step.ctx.envelope, step.progress.sealed_key,
                             crypto::OrderKeyAssociatedData(step.ctx.domain, step.result.order.id));
  if (!key) return step.Failed(step.Context(key.error(), "opening the saved certificate key"));
  auto csr = crypto::CreateCsrDer(*key, step.progress.spec.names);
  if (!csr) return step.Failed(step.Context(csr.error(), "building the CSR"));
  auto finalized =
      acme::FinalizeOrder(step.ctx.session, step.ctx.signer, *step.progress.order, *csr);
  if (!finalized && finalized.error().code == ErrorCode::kConflict) {
    // orderNotReady: we finalized before a crash (with this same key); follow the order.
    finalized = Refresh(step);
    if (finalized && finalized->status == "ready") {
      return Fail(
          step.Context(Error{ErrorCode::kConflict, "the CA refused to finalize a ready order"},
                       "finalizing the order"));
    }
  }
  if (!finalized) return FailOrRetry(step, finalized.error(), "finalizing the order");
  return FollowStatus(step, *finalized);
}

Result<StepResult> StepProcessing(Step& step) {
  auto order = acme::PollOrder(step.ctx.session, step.ctx.signer, *step.progress.order,
                               {"processing"}, step.ctx.poll);
  if (!order)
    return FailOrRetry(step, order.error(), "waiting for the CA to issue the certificate");
  return FollowStatus(step, *order);
}

Result<store::CertificateVersion> BuildCertificate(Step& step, const std::string& chain_pem) {
  auto chain = crypto::ParsePemChain(chain_pem);
  if (!chain)
    return Fail(ErrorCode::kProtocol,
                "the CA's certificate chain is not valid PEM: " + chain.error().message);
  const crypto::Certificate& leaf = chain->front();
  auto key = crypto::OpenKey(step.ctx.envelope, step.progress.sealed_key,
                             crypto::OrderKeyAssociatedData(step.ctx.domain, step.result.order.id));
  if (!key) return Fail(key.error().WithContext("opening the saved certificate key"));
  if (!leaf.MatchesKey(*key)) {
    return Fail(ErrorCode::kProtocol,
                "the CA issued a certificate for another public key than our CSR's");
  }
  const std::string sha256 = leaf.Sha256Fingerprint();
  store::CertificateVersion cert;
  cert.domain_id = step.result.order.domain_id;
  cert.chain_pem = crypto::ToPemChain(*chain);
  cert.encrypted_key = crypto::SealCertificateKey(
      step.ctx.envelope, crypto::Secret(key->ToPem()).view(), step.ctx.domain, sha256);
  cert.serial = leaf.SerialHex();
  cert.not_before = leaf.NotBefore();
  cert.not_after = leaf.NotAfter();
  cert.sha256 = sha256;
  cert.issuer_cn = leaf.IssuerCommonName();
  cert.names = leaf.DnsNames();
  cert.replaces_id = step.progress.replaces_id;
  cert.source = store::CertificateSource::kAcme;
  cert.order_id = step.result.order.id;
  return cert;
}

Result<StepResult> StepValid(Step& step) {
  auto pem =
      acme::DownloadPreferredChain(step.ctx.session, step.ctx.signer,
                                   step.progress.order->certificate, step.ctx.preferred_chain);
  if (!pem) return FailOrRetry(step, pem.error(), "downloading the certificate");
  auto cert = BuildCertificate(step, *pem);
  if (!cert) return step.Failed(step.Context(cert.error(), "checking the downloaded certificate"));
  step.result.certificate = std::move(*cert);
  return step.Finish();
}

}  // namespace

bool IsPermanentOrderError(const Error& error) {
  switch (error.code) {
    case ErrorCode::kAcmeProblem:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kCorrupt:
      return true;
    default:
      return false;
  }
}

Result<StepResult> AdvanceOrder(const OrderContext& context, const store::Order& order) {
  auto progress = ProgressFromJson(order.acme_state_json);
  if (!progress) {
    StepResult result;
    result.order = order;
    result.order.state = OrderState::kFailed;
    result.order.error =
        context.domain + ": reading the saved order state: " + progress.error().message;
    return result;
  }
  StepResult start;
  start.order = order;
  Step step{context, std::move(start), std::move(*progress)};
  step.result.order.error.clear();
  if (order.state != OrderState::kNew) {
    if (!step.progress.order)
      return step.Failed(
          Error{ErrorCode::kCorrupt, context.domain + ": the saved order has no ACME order"});
    if (step.progress.account_url != context.signer.kid) {
      step.result.order.error =
          context.domain + ": the order belongs to an ACME account the CA no longer knows";
      return step.Finish(OrderState::kAbandoned);
    }
  }
  switch (order.state) {
    case OrderState::kNew:
      return StepNew(step);
    case OrderState::kPending:
      return StepPending(step);
    case OrderState::kReady:
      return StepReady(step);
    case OrderState::kProcessing:
      return StepProcessing(step);
    case OrderState::kValid:
      return StepValid(step);
    default:
      return Fail(ErrorCode::kInternal, context.domain + ": order " + std::to_string(order.id) +
                                            " is already " +
                                            std::string(store::OrderStateName(order.state)));
  }
}

}  // namespace certfleet::issuance
