#include "crypto/key_der.h"

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/x509.h>

#include <array>
#include <string>

#include "crypto/der.h"
#include "crypto/pem.h"

namespace certfleet::crypto {
namespace {

// The OpenSSL key type named by a PKCS#8 AlgorithmIdentifier; nullptr for types the
// fast path leaves to OpenSSL's full search. Parsing PKCS#8 is plain ASN.1 (no provider).
const char* Pkcs8KeyType(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  PKCS8_PRIV_KEY_INFO* info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size()));
  if (info == nullptr) {
    ClearOpensslErrors();  // "not PKCS#8" is the whole answer here
    return nullptr;
  }
  const ASN1_OBJECT* algorithm = nullptr;
  int nid = NID_undef;
  if (PKCS8_pkey_get0(&algorithm, nullptr, nullptr, nullptr, info) == 1)
    nid = OBJ_obj2nid(algorithm);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (nid == NID_X9_62_id_ecPublicKey) return "EC";
  if (nid == NID_rsaEncryption) return "RSA";
  return nullptr;
}

// One decoder context per thread and (structure, key type), made once and used for every
// key: OpenSSL 3.0 spends ~70 of the ~85 µs a fresh OSSL_DECODER_CTX_new_for_pkey + decode
// costs searching its providers for decoders (an agent decodes a key on every renewal;
// issue 16). A context writes its result through the pointer it was made with (`slot`),
// which is why each one owns its slot; nothing else carries over from one decode to the
// next (the decoders' state lives in the call). OpenSSL 3.2 caches these itself.
struct CachedDecoder {
  EVP_PKEY* slot = nullptr;
  OSSL_DECODER_CTX* ctx = nullptr;
  std::string structure;
  std::string key_type;
  ~CachedDecoder() { OSSL_DECODER_CTX_free(ctx); }
};

OSSL_DECODER_CTX* DecoderFor(const char* structure, const char* key_type, EVP_PKEY**& slot) {
  thread_local std::array<CachedDecoder, 4> cache;  // {PrivateKeyInfo, type-specific} × {EC, RSA}
  for (CachedDecoder& entry : cache) {
    if (entry.ctx != nullptr && entry.structure == structure && entry.key_type == key_type) {
      slot = &entry.slot;
      return entry.ctx;
    }
  }
  for (CachedDecoder& entry : cache) {
    if (entry.ctx != nullptr) continue;
    entry.ctx = OSSL_DECODER_CTX_new_for_pkey(&entry.slot, "DER", structure, key_type,
                                              EVP_PKEY_KEYPAIR, nullptr, nullptr);
    if (entry.ctx == nullptr) return nullptr;
    entry.structure = structure;
    entry.key_type = key_type;
    slot = &entry.slot;
    return entry.ctx;
  }
  return nullptr;  // not reached: four combinations, four entries
}

EvpPkeyPtr DecodeDer(std::string_view der, const char* structure, const char* key_type) {
  if (key_type == nullptr) return nullptr;
  EVP_PKEY** slot = nullptr;
  OSSL_DECODER_CTX* ctx = DecoderFor(structure, key_type, slot);
  if (ctx == nullptr) {
    ClearOpensslErrors();
    return nullptr;
  }
  *slot = nullptr;
  const auto* data = reinterpret_cast<const unsigned char*>(der.data());
  size_t size = der.size();
  const bool ok = OSSL_DECODER_from_data(ctx, &data, &size) == 1 && size == 0;
  // The decoder leaves notes on the error queue (also on success, from the decoders it tried
  // first); a caller of this fast path only learns "not decoded", so none of them is ours.
  ClearOpensslErrors();
  EvpPkeyPtr owned(*slot);
  *slot = nullptr;  // the context must not point at a key we hand out
  if (!ok) owned.reset();
  return owned;
}

std::string CurveObject(KeyType type) {
  return der::Object(type == KeyType::kEcP384 ? NID_secp384r1 : NID_X9_62_prime256v1);
}

Result<std::string> EcPoint(const PrivateKey& key) {
  std::array<unsigned char, 1 + 2 * 66> point{};  // uncompressed, up to P-521
  size_t size = 0;
  if (EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                      point.size(), &size) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "reading the EC public key"));
  }
  return std::string(reinterpret_cast<const char*>(point.data()), size);
}

Result<std::string> BignumParam(const PrivateKey& key, const char* name, size_t min_size = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key.get(), name, &raw) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, std::string("reading the key's ") + name));
  }
  std::string bytes = BignumBytes(raw, min_size);
  BN_clear_free(raw);
  return bytes;
}

}  // namespace

EvpPkeyPtr DecodePrivateKeyPem(std::string_view pem) {
  auto bundle = DecodePemBlocks(pem);
  if (!bundle) return nullptr;
  for (const PemBlock& block : bundle->blocks) {
    if (!block.label.ends_with("PRIVATE KEY")) continue;
    if (block.label == "PRIVATE KEY") {
      return DecodeDer(block.der, "PrivateKeyInfo", Pkcs8KeyType(block.der));
    }
    if (block.label == "EC PRIVATE KEY") return DecodeDer(block.der, "type-specific", "EC");
    if (block.label == "RSA PRIVATE KEY") return DecodeDer(block.der, "type-specific", "RSA");
    return nullptr;  // e.g. ENCRYPTED PRIVATE KEY: the full path explains the refusal
  }
  return nullptr;
}

Result<std::string> SubjectPublicKeyInfoDer(const PrivateKey& key) {
  if (key.IsEc()) {
    auto point = EcPoint(key);
    if (!point) return Fail(point.error());
    return der::Sequence(
        {der::Sequence({der::Object(NID_X9_62_id_ecPublicKey), CurveObject(key.type())}),
         der::BitString(*point)});
  }
  auto n = BignumParam(key, OSSL_PKEY_PARAM_RSA_N);
  if (!n) return Fail(n.error());
  auto e = BignumParam(key, OSSL_PKEY_PARAM_RSA_E);
  if (!e) return Fail(e.error());
  const std::string rsa_public_key =
      der::Sequence({der::UnsignedInteger(*n), der::UnsignedInteger(*e)});
  return der::Sequence({der::Sequence({der::Object(NID_rsaEncryption), der::Null()}),
                        der::BitString(rsa_public_key)});
}

Result<std::string> EcPrivateKeyInfoDer(const PrivateKey& key) {
  if (!key.IsEc()) return Fail(ErrorCode::kInvalidArgument, "not an EC key");
  const size_t scalar_size = key.type() == KeyType::kEcP384 ? 48 : 32;
  auto scalar = BignumParam(key, OSSL_PKEY_PARAM_PRIV_KEY, scalar_size);
  if (!scalar) return Fail(scalar.error());
  auto point = EcPoint(key);
  if (!point) return Fail(point.error());
  std::string ec_private_key =
      der::Sequence({der::SmallInteger(1), der::Tlv(der::kOctetString, *scalar),
                     der::Constructed(0xa1, {der::BitString(*point)})});
  std::string out = der::Sequence(
      {der::SmallInteger(0),
       der::Sequence({der::Object(NID_X9_62_id_ecPublicKey), CurveObject(key.type())}),
       der::Tlv(der::kOctetString, ec_private_key)});
  OPENSSL_cleanse(scalar->data(), scalar->size());
  OPENSSL_cleanse(ec_private_key.data(), ec_private_key.size());
  return out;
}

}  // namespace certfleet::crypto
