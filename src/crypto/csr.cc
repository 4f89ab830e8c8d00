// The CSR is written as DER directly (RFC 2986) rather than through X509_REQ: OpenSSL 3's
// X509_REQ_set_pubkey encodes the key through the generic encoder search and decodes it
// again, about a fifth of the CPU `certfleet acme issue` spent on its own work.
#include "crypto/csr.h"

#include "crypto/der.h"
#include "crypto/key_der.h"
#include "crypto/openssl_ptr.h"

namespace certfleet::crypto {
namespace {

constexpr size_t kMaxCommonNameLength = 64;  // RFC 5280 ub-common-name
constexpr uint8_t kDnsNameTag = 0x82;        // GeneralName dNSName [2] IMPLICIT IA5String
constexpr uint8_t kAttributesTag = 0xa0;     // CertificationRequestInfo attributes [0]

// Subject with the first name as CN. The CN is informational for ACME (the SANs decide);
// a name over the CN limit is left out (an empty subject) rather than making the CSR invalid.
std::string SubjectDer(const std::string& first_name) {
  if (first_name.size() > kMaxCommonNameLength) return der::Sequence({});
  const std::string attribute =
      der::Sequence({der::Object(NID_commonName), der::Tlv(der::kUtf8String, first_name)});
  return der::Sequence({der::Constructed(der::kSet, {attribute})});
}

// [0] { extensionRequest (PKCS#9) { subjectAltName: every name as a dNSName } }.
std::string ExtensionRequestDer(const std::vector<std::string>& names) {
  std::string general_names;
  for (const std::string& name : names) general_names += der::Tlv(kDnsNameTag, name);
  const std::string san =
      der::Sequence({der::Object(NID_subject_alt_name),
                     der::Tlv(der::kOctetString, der::Tlv(der::kSequence, general_names))});
  const std::string extensions = der::Sequence({san});
  const std::string attribute =
      der::Sequence({der::Object(NID_ext_req), der::Constructed(der::kSet, {extensions})});
  return der::Constructed(kAttributesTag, {attribute});
}

// SHA-256 signature in X.509 form (DER ECDSA-Sig-Value for EC, PKCS#1 v1.5 for RSA).
Result<std::string> SignSha256(const PrivateKey& key, std::string_view data) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  size_t size = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, in, data.size()) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "signing the CSR"));
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, in,
                     data.size()) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "signing the CSR"));
  }
  signature.resize(size);
  return signature;
}

std::string SignatureAlgorithmDer(const PrivateKey& key) {
  if (key.IsEc()) return der::Sequence({der::Object(NID_ecdsa_with_SHA256)});
  return der::Sequence({der::Object(NID_sha256WithRSAEncryption), der::Null()});
}

}  // namespace

Result<std::string> CreateCsrDer(const PrivateKey& key, const std::vector<std::string>& names) {
  if (names.empty()) return Fail(ErrorCode::kInvalidArgument, "a CSR needs at least one name");
  for (const std::string& name : names) {
    if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "a CSR name is empty");
  }
  auto public_key = SubjectPublicKeyInfoDer(key);
  if (!public_key) return Fail(public_key.error().WithContext("creating the CSR for " + names[0]));
  const std::string info = der::Sequence(
      {der::SmallInteger(0), SubjectDer(names[0]), *public_key, ExtensionRequestDer(names)});
  auto signature = SignSha256(key, info);
  if (!signature) return Fail(signature.error().WithContext(names[0]));
  return der::Sequence({info, SignatureAlgorithmDer(key), der::BitString(*signature)});
}

}  // namespace certfleet::crypto
