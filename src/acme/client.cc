#include "acme/client.h"

#include <algorithm>

#include "acme/authorize.h"
#include "acme/certificate.h"
#include "common/domain_name.h"
#include "crypto/csr.h"
#include "crypto/x509.h"

namespace certfleet::acme {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

// Validates and canonicalizes every name before anything is sent to the CA.
Result<std::vector<std::string>> NormalizeNames(const ObtainRequest& request) {
  if (request.names.empty())
    return Fail(ErrorCode::kInvalidArgument, "no domain names to put in the certificate");
  bool dns01 =
      std::any_of(request.solvers.begin(), request.solvers.end(),
                  [](const ChallengeSolver* solver) { return solver->Type() == "dns-01"; });
  std::vector<std::string> names;
  for (const std::string& input : request.names) {
    auto name = NormalizeDomainName(input, DomainNameOptions{.allow_wildcard = dns01});
    if (!name) return Fail(name.error());  // the message already quotes the name
    if (std::find(names.begin(), names.end(), *name) == names.end())
      names.push_back(std::move(*name));
  }
  return names;
}

// Splits the downloaded chain into leaf and issuers, and checks the leaf is ours.
Result<ObtainedCertificate> Assemble(DownloadedChain downloaded, const crypto::PrivateKey& key,
                                     Order order) {
  const std::vector<crypto::Certificate>& chain = downloaded.certificates;
  if (chain.empty() || !chain[0].MatchesKey(key)) {
    return Fail(ErrorCode::kProtocol,
                "the CA issued a certificate for a different public key than our CSR's");
  }
  ObtainedCertificate out;
  out.private_key_pem = key.ToPem();
  out.certificate_pem = chain[0].ToPem();
  out.chain_pem =
      crypto::ToPemChain(std::vector<crypto::Certificate>(chain.begin() + 1, chain.end()));
  out.fullchain_pem = out.certificate_pem + out.chain_pem;
  out.chain = std::move(downloaded.certificates);
  out.order = std::move(order);
  return out;
}

Error OrderFailed(const Order& order, std::string_view step) {
  std::string message = std::string(step) + ": the order is \"" + order.status + "\"";
  if (order.error) return ProblemToError(*order.error).WithContext(step);
  return Error{ErrorCode::kAcmeProblem, message};
}

}  // namespace

Result<std::unique_ptr<Client>> Client::Open(net::HttpTransport& transport, Clock& clock,
                                             const std::string& directory_url,
                                             ClientOptions options) {
  auto session = Session::Open(transport, clock, directory_url, options.session);
  if (!session) return Fail(session.error());
  return std::make_unique<Client>(std::move(*session), std::move(options));
}

Client::Client(std::unique_ptr<Session> session, ClientOptions options)
    : session_(std::move(session)), options_(std::move(options)) {}

Result<Account> Client::RegisterAccount(const crypto::PrivateKey& key,
                                        const NewAccountRequest& request) {
  return NewAccount(*session_, key, request);  // §7.3.1: an existing account answers 200
}

Result<Order> Client::Finalize(const Signer& signer, Order order, const crypto::PrivateKey& key,
                               const std::vector<std::string>& names) {
  auto csr = crypto::CreateCsrDer(key, names);
  if (!csr) return Fail(csr.error().WithContext("building the CSR"));
  auto finalized = FinalizeOrder(*session_, signer, order, *csr);
  if (!finalized && finalized.error().code == ErrorCode::kConflict) {
    // orderNotReady: the CA has not yet noticed the last authorization became valid.
    auto ready = PollOrder(*session_, signer, std::move(order), {"pending"}, options_.poll);
    if (!ready) return Fail(ready.error());
    finalized = FinalizeOrder(*session_, signer, *ready, *csr);
  }
  if (!finalized) return Fail(finalized.error());
  auto done =
      PollOrder(*session_, signer, std::move(*finalized), {"processing", "ready"}, options_.poll);
  if (!done) return Fail(done.error().WithContext("waiting for the certificate"));
  if (done->status != "valid" || done->certificate.empty())
    return Fail(OrderFailed(*done, "finalizing the order"));
  return done;
}

Result<ObtainedCertificate> Client::ObtainCertificate(const Signer& signer,
                                                      const ObtainRequest& request) {
  auto names = NormalizeNames(request);
  if (!names) return Fail(names.error());
  auto key = request.certificate_key ? Result<crypto::PrivateKey>(*request.certificate_key)
                                     : crypto::PrivateKey::Generate(request.key_type);
  if (!key) return Fail(key.error().WithContext("generating the certificate key"));
  return ObtainWithKey(signer, request, *names, *key);
}

Result<ObtainedCertificate> Client::ObtainWithKey(const Signer& signer,
                                                  const ObtainRequest& request,
                                                  const std::vector<std::string>& names,
                                                  const crypto::PrivateKey& key) {
  // Authorization errors already name their identifier; the other steps get all names.
  const std::string context = JoinNames(names);
  auto order =
      NewOrder(*session_, signer, NewOrderRequest{names, request.profile, request.replaces});
  if (!order) return Fail(order.error().WithContext(context));
  std::vector<std::string> warnings;
  if (order->status == "pending") {
    auto authorized =
        AuthorizeOrder(*session_, signer, *order, request.solvers, options_.poll, &warnings);
    if (!authorized) return Fail(authorized.error());
  } else if (order->status != "ready") {
    return Fail(OrderFailed(*order, "creating the order").WithContext(context));
  }
  auto done = Finalize(signer, std::move(*order), key, names);
  if (!done) return Fail(done.error().WithContext(context));
  auto downloaded =
      DownloadPreferredCertificate(*session_, signer, done->certificate, request.preferred_chain);
  if (!downloaded) return Fail(downloaded.error().WithContext(context));
  auto obtained = Assemble(std::move(*downloaded), key, std::move(*done));
  if (!obtained) return Fail(obtained.error().WithContext(context));
  obtained->warnings = std::move(warnings);
  return obtained;
}

Status Client::RevokeCertificate(const Signer& signer, std::string_view certificate_pem) {
  auto chain = crypto::ParsePemChain(certificate_pem);
  if (!chain) return Fail(chain.error().WithContext("revoking the certificate: reading its PEM"));
  return acme::RevokeCertificate(*session_, signer, (*chain)[0].ToDer(), std::nullopt);
}

}  // namespace certfleet::acme
