// Certificate chains (x509.h): PEM bundles, issuance order, and path validation.
#include <algorithm>
#include <chrono>

#include "crypto/openssl_ptr.h"
#include "crypto/pem.h"
#include "crypto/x509.h"

namespace certfleet::crypto {
namespace {

std::string Describe(const std::vector<Certificate>& chain, size_t index) {
  const std::string cn = chain[index].SubjectCommonName();
  return "certificate " + std::to_string(index + 1) + " (" + (cn.empty() ? "no CN" : "CN=" + cn) +
         ")";
}

X509StackPtr ToStack(const std::vector<Certificate>& certificates, size_t first) {
  X509StackPtr stack(sk_X509_new_null());
  for (size_t i = first; stack && i < certificates.size(); ++i) {
    if (sk_X509_push(stack.get(), certificates[i].get()) <= 0) return nullptr;
  }
  return stack;
}

Result<X509StorePtr> TrustStore(const std::vector<Certificate>& roots) {
  X509StorePtr store(X509_STORE_new());
  if (!store) return Fail(OpensslError(ErrorCode::kInternal, "creating the trust store"));
  for (const Certificate& root : roots) {
    if (X509_STORE_add_cert(store.get(), root.get()) != 1) {
      return Fail(OpensslError(ErrorCode::kInternal, "adding a root to the trust store"));
    }
  }
  // Every given root is a trust anchor, even one that is not self-signed (e.g. an
  // intermediate an operator chose to pin).
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  return store;
}

}  // namespace

Result<Certificate> CertificateCache::FromDer(std::string_view der) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first != der) continue;
    Certificate found = it->second;
    std::rotate(it, it + 1, entries_.end());  // now the most recent
    return found;
  }
  auto parsed = Certificate::FromDer(der);
  if (!parsed || capacity_ == 0) return parsed;
  if (entries_.size() == capacity_) entries_.erase(entries_.begin());
  entries_.emplace_back(std::string(der), *parsed);
  return parsed;
}

Result<std::vector<Certificate>> ParsePemChain(std::string_view pem,
                                               CertificateCache* intermediates) {
  auto bundle = DecodePemBlocks(pem);
  if (!bundle) return Fail(bundle.error());
  if (bundle->blocks.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the PEM bundle has no CERTIFICATE block");
  }
  std::vector<Certificate> chain;
  chain.reserve(bundle->blocks.size());
  for (size_t i = 0; i < bundle->blocks.size(); ++i) {
    const PemBlock& block = bundle->blocks[i];
    const std::string where = "PEM block " + std::to_string(i + 1);
    if (block.label != "CERTIFICATE") {
      return Fail(ErrorCode::kInvalidArgument,
                  where + " is a " + block.label + ", not a CERTIFICATE");
    }
    auto certificate = i > 0 && intermediates != nullptr ? intermediates->FromDer(block.der)
                                                         : Certificate::FromDer(block.der);
    if (!certificate) return Fail(certificate.error().WithContext(where));
    chain.push_back(std::move(*certificate));
  }
  return chain;
}

std::string ToPemChain(const std::vector<Certificate>& chain) {
  std::string out;
  for (const Certificate& certificate : chain) out += certificate.ToPem();
  return out;
}

Status CheckChainOrder(const std::vector<Certificate>& chain) {
  if (chain.empty()) return Fail(ErrorCode::kInvalidArgument, "the chain is empty");
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    X509* issuer = chain[i + 1].get();
    EVP_PKEY* issuer_key = X509_get0_pubkey(issuer);
    const bool issued = X509_check_issued(issuer, chain[i].get()) == X509_V_OK &&
                        issuer_key != nullptr && X509_verify(chain[i].get(), issuer_key) == 1;
    ClearOpensslErrors();
    if (!issued) {
      return Fail(ErrorCode::kInvalidArgument,
                  Describe(chain, i) + " is not issued by the next one, " + Describe(chain, i + 1) +
                      ": the chain is out of order or incomplete");
    }
  }
  return Ok();
}

Status VerifyChain(const std::vector<Certificate>& chain, const std::vector<Certificate>& roots,
                   TimePoint at) {
  if (chain.empty()) return Fail(ErrorCode::kInvalidArgument, "the chain is empty");
  auto store = TrustStore(roots);
  if (!store) return Fail(store.error());
  X509StackPtr untrusted = ToStack(chain, 1);
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!untrusted || !ctx ||
      X509_STORE_CTX_init(ctx.get(), store->get(), chain[0].get(), untrusted.get()) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "preparing chain verification"));
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(at));
  if (X509_verify_cert(ctx.get()) == 1) return Ok();
  const int error = X509_STORE_CTX_get_error(ctx.get());
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  std::string subject;
  if (X509* current = X509_STORE_CTX_get_current_cert(ctx.get()); current != nullptr) {
    X509_up_ref(current);
    subject = Certificate::Adopt(current).SubjectCommonName();
  }
  ClearOpensslErrors();
  return Fail(ErrorCode::kInvalidArgument, "chain verification failed at depth " +
                                               std::to_string(depth) +
                                               (subject.empty() ? "" : " (CN=" + subject + ")") +
                                               ": " + X509_verify_cert_error_string(error));
}

}  // namespace certfleet::crypto
