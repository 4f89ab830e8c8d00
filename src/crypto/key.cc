#include "crypto/key.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <array>

#include "crypto/key_der.h"
#include "crypto/openssl_ptr.h"
#include "crypto/pem.h"

namespace certfleet::crypto {
namespace {

struct KeyTypeInfo {
  KeyType type;
  std::string_view name;
  std::string_view algorithm;  // EVP_PKEY_Q_keygen type
  std::string_view curve;      // EC only
  size_t rsa_bits;             // RSA only
};

constexpr std::array<KeyTypeInfo, 5> kKeyTypes = {{
    {KeyType::kEcP256, "ec-p256", "EC", "P-256", 0},
    {KeyType::kEcP384, "ec-p384", "EC", "P-384", 0},
    {KeyType::kRsa2048, "rsa-2048", "RSA", "", 2048},
    {KeyType::kRsa3072, "rsa-3072", "RSA", "", 3072},
    {KeyType::kRsa4096, "rsa-4096", "RSA", "", 4096},
}};

const KeyTypeInfo& Info(KeyType type) {
  for (const auto& info : kKeyTypes) {
    if (info.type == type) return info;
  }
  return kKeyTypes[0];  // unreachable: every enumerator is in the table
}

// Refuses to prompt for a passphrase: encrypted PEM keys are not supported.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) { return -1; }

Result<KeyType> EcKeyType(EVP_PKEY* pkey) {
  std::array<char, 80> group{};
  size_t len = 0;
  if (EVP_PKEY_get_group_name(pkey, group.data(), group.size(), &len) != 1) {
    return Fail(OpensslError(ErrorCode::kInvalidArgument, "reading the EC key's curve"));
  }
  const std::string_view name(group.data(), len);
  if (name == "prime256v1" || name == "P-256") return KeyType::kEcP256;
  if (name == "secp384r1" || name == "P-384") return KeyType::kEcP384;
  return Fail(ErrorCode::kInvalidArgument,
              "unsupported EC curve " + std::string(name) + " (supported: P-256, P-384)");
}

Result<KeyType> RsaKeyType(EVP_PKEY* pkey) {
  const int bits = EVP_PKEY_get_bits(pkey);
  if (bits == 2048) return KeyType::kRsa2048;
  if (bits == 3072) return KeyType::kRsa3072;
  if (bits == 4096) return KeyType::kRsa4096;
  return Fail(ErrorCode::kInvalidArgument, "unsupported RSA key size " + std::to_string(bits) +
                                               " bits (supported: 2048, 3072, 4096)");
}

Result<KeyType> DetectKeyType(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "EC") == 1) return EcKeyType(pkey);
  if (EVP_PKEY_is_a(pkey, "RSA") == 1) return RsaKeyType(pkey);
  const char* name = EVP_PKEY_get0_type_name(pkey);
  return Fail(ErrorCode::kInvalidArgument, std::string("unsupported key type ") +
                                               (name != nullptr ? name : "(unknown)") +
                                               " (supported: EC P-256/P-384, RSA 2048/3072/4096)");
}

}  // namespace

std::string_view KeyTypeName(KeyType type) { return Info(type).name; }

Result<KeyType> ParseKeyType(std::string_view name) {
  std::string accepted;
  for (const auto& info : kKeyTypes) {
    if (info.name == name) return info.type;
    accepted += (accepted.empty() ? "" : ", ") + std::string(info.name);
  }
  return Fail(ErrorCode::kInvalidArgument,
              "unknown key type \"" + std::string(name) + "\" (accepted: " + accepted + ")");
}

Result<PrivateKey> PrivateKey::Generate(KeyType type) {
  const KeyTypeInfo& info = Info(type);
  EVP_PKEY* pkey = nullptr;
  if (info.rsa_bits != 0) {
    pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", info.rsa_bits);
  } else {
    pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", std::string(info.curve).c_str());
  }
  if (pkey == nullptr) {
    return Fail(
        OpensslError(ErrorCode::kInternal, "generating a " + std::string(info.name) + " key"));
  }
  return PrivateKey(std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free), type);
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  // Common case first: a plain key whose PEM label names its type decodes ~4x cheaper.
  if (EvpPkeyPtr pkey = DecodePrivateKeyPem(pem)) return Adopt(pkey.release());
  ClearOpensslErrors();
  BioPtr bio = MemoryBio(pem);
  if (!bio) return Fail(OpensslError(ErrorCode::kInternal, "reading a private key PEM"));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr);
  if (pkey == nullptr) {
    return Fail(OpensslError(ErrorCode::kInvalidArgument,
                             "parsing the private key PEM (expected an unencrypted "
                             "PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block)"));
  }
  ClearOpensslErrors();  // the decoder may leave notes from formats it tried first
  return Adopt(pkey);
}

Result<PrivateKey> PrivateKey::Adopt(evp_pkey_st* pkey) {
  std::shared_ptr<EVP_PKEY> owned(pkey, EVP_PKEY_free);
  if (!owned) return Fail(ErrorCode::kInvalidArgument, "no key given");
  auto type = DetectKeyType(pkey);
  if (!type) return Fail(type.error());
  return PrivateKey(std::move(owned), *type);
}

std::string PrivateKey::ToPem() const {
  if (IsEc()) {  // built directly: OpenSSL's encoder search costs more than the key
    auto der = EcPrivateKeyInfoDer(*this);
    if (!der) return {};
    std::string pem = EncodePem("PRIVATE KEY", *der);
    OPENSSL_cleanse(der->data(), der->size());
    return pem;
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    ClearOpensslErrors();
    return {};
  }
  return BioContents(bio.get());
}

std::string PrivateKey::PublicKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) {
    ClearOpensslErrors();
    return {};
  }
  return BioContents(bio.get());
}

}  // namespace certfleet::crypto
