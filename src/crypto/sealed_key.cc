#include "crypto/sealed_key.h"

#include "common/encoding.h"

namespace certfleet::crypto {

std::string OrderKeyAssociatedData(std::string_view domain, std::int64_t order_id) {
  return "certfleet-order-key:" + std::string(domain) + ":" + std::to_string(order_id);
}

std::string CertificateKeyAssociatedData(std::string_view domain, std::string_view leaf_sha256) {
  return "certfleet-certificate-key:" + std::string(domain) + ":" + std::string(leaf_sha256);
}

std::string AccountKeyAssociatedData(std::string_view directory_url) {
  return "certfleet-acme-account-key:" + std::string(directory_url);
}

std::string SealKey(const Envelope& envelope, const PrivateKey& key,
                    std::string_view associated_data) {
  const Secret pem(key.ToPem());
  return Base64UrlEncode(envelope.Seal(pem.view(), associated_data));
}

Result<PrivateKey> OpenKey(const Envelope& envelope, std::string_view sealed_base64url,
                           std::string_view associated_data) {
  auto sealed = Base64UrlDecode(sealed_base64url);
  if (!sealed) return Fail(ErrorCode::kCorrupt, "the sealed key is not base64url");
  auto pem = envelope.Open(*sealed, associated_data);
  if (!pem) return Fail(pem.error());
  return PrivateKey::FromPem(pem->view());
}

std::string SealCertificateKey(const Envelope& envelope, std::string_view key_pem,
                               std::string_view domain, std::string_view leaf_sha256) {
  return envelope.Seal(key_pem, CertificateKeyAssociatedData(domain, leaf_sha256));
}

Result<Secret> OpenCertificateKey(const Envelope& envelope, std::string_view sealed,
                                  std::string_view domain, std::string_view leaf_sha256) {
  return envelope.Open(sealed, CertificateKeyAssociatedData(domain, leaf_sha256));
}

std::string SealAccountKey(const Envelope& envelope, const PrivateKey& key,
                           std::string_view directory_url) {
  const Secret pem(key.ToPem());
  return envelope.Seal(pem.view(), AccountKeyAssociatedData(directory_url));
}

Result<PrivateKey> OpenAccountKey(const Envelope& envelope, std::string_view sealed,
                                  std::string_view directory_url) {
  auto pem = envelope.Open(sealed, AccountKeyAssociatedData(directory_url));
  if (!pem) return Fail(pem.error());
  return PrivateKey::FromPem(pem->view());
}

}  // namespace certfleet::crypto
