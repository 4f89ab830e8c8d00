#include "crypto/jws.h"

#include <array>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "crypto/hash.h"
#include "crypto/openssl_ptr.h"

namespace certfleet::crypto {
namespace {

const EVP_MD* DigestFor(KeyType type) {
  return type == KeyType::kEcP384 ? EVP_sha384() : EVP_sha256();
}

size_t EcComponentSize(KeyType type) { return type == KeyType::kEcP384 ? 48 : 32; }

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Checks that the header names the algorithm the key signs with, so a caller's
// mismatch fails here rather than as an opaque "badSignatureAlgorithm" from the CA.
Status CheckAlg(const PrivateKey& key, const nlohmann::json& header) {
  const auto alg = header.is_object() ? header.find("alg") : header.end();
  if (alg == header.end() || !alg->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "JWS protected header has no string \"alg\"");
  }
  if (alg->get_ref<const std::string&>() != JwsAlgorithm(key.type())) {
    return Fail(ErrorCode::kInvalidArgument,
                "JWS protected header \"alg\" is " + alg->get<std::string>() + " but a " +
                    std::string(KeyTypeName(key.type())) + " key signs " +
                    std::string(JwsAlgorithm(key.type())));
  }
  return Ok();
}

bool VerifyRaw(const PrivateKey& key, std::string_view data, std::string_view signature) {
  std::string der_holder;
  if (key.IsEc()) {
    if (signature.size() != 2 * EcComponentSize(key.type())) return false;
    auto der = EcdsaRawToDer(signature);
    if (!der) return false;
    der_holder = std::move(*der);
    signature = der_holder;
  }
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, DigestFor(key.type()), nullptr, key.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1;
  ClearOpensslErrors();
  return ok;
}

// The three members of a flattened JWS, each a string, or an error naming the missing one.
Result<std::array<std::string, 3>> JwsParts(const nlohmann::json& jws) {
  std::array<std::string, 3> parts;
  const std::array<const char*, 3> names = {"protected", "payload", "signature"};
  for (size_t i = 0; i < names.size(); ++i) {
    const auto it = jws.is_object() ? jws.find(names[i]) : jws.end();
    if (it == jws.end() || !it->is_string()) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string("JWS has no string member \"") + names[i] + "\"");
    }
    parts[i] = it->get<std::string>();
  }
  return parts;
}

}  // namespace

std::string_view JwsAlgorithm(KeyType type) {
  switch (type) {
    case KeyType::kEcP256:
      return "ES256";
    case KeyType::kEcP384:
      return "ES384";
    default:
      return "RS256";
  }
}

Result<std::string> SignRaw(const PrivateKey& key, std::string_view data) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, DigestFor(key.type()), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "preparing a JWS signature"));
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "signing a JWS"));
  }
  signature.resize(size);
  if (!key.IsEc()) return signature;
  return EcdsaDerToRaw(signature, EcComponentSize(key.type()));
}

Result<nlohmann::json> SignJws(const PrivateKey& key, const nlohmann::json& protected_header,
                               std::string_view payload) {
  if (auto alg = CheckAlg(key, protected_header); !alg) return Fail(alg.error());
  std::string protected_b64 = Base64UrlEncode(Dump(protected_header));
  std::string payload_b64 = Base64UrlEncode(payload);
  auto signature = SignRaw(key, protected_b64 + "." + payload_b64);
  if (!signature) return Fail(signature.error());
  return nlohmann::json{{"protected", std::move(protected_b64)},
                        {"payload", std::move(payload_b64)},
                        {"signature", Base64UrlEncode(*signature)}};
}

nlohmann::json SignJwsHmac(std::string_view mac_key, const nlohmann::json& protected_header,
                           std::string_view payload) {
  std::string protected_b64 = Base64UrlEncode(Dump(protected_header));
  std::string payload_b64 = Base64UrlEncode(payload);
  const std::string mac = HmacSha256(mac_key, protected_b64 + "." + payload_b64);
  return nlohmann::json{{"protected", std::move(protected_b64)},
                        {"payload", std::move(payload_b64)},
                        {"signature", Base64UrlEncode(mac)}};
}

Result<std::string> VerifyJws(const PrivateKey& key, const nlohmann::json& jws) {
  auto parts = JwsParts(jws);
  if (!parts) return Fail(parts.error());
  const auto& [protected_b64, payload_b64, signature_b64] = *parts;
  const auto header_text = Base64UrlDecode(protected_b64);
  const auto payload = Base64UrlDecode(payload_b64);
  const auto signature = Base64UrlDecode(signature_b64);
  if (!header_text || !payload || !signature) {
    return Fail(ErrorCode::kInvalidArgument, "JWS member is not valid base64url");
  }
  const auto header = nlohmann::json::parse(*header_text, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded()) {
    return Fail(ErrorCode::kInvalidArgument, "JWS protected header is not valid JSON");
  }
  if (auto alg = CheckAlg(key, header); !alg) return Fail(alg.error());
  if (!VerifyRaw(key, protected_b64 + "." + payload_b64, *signature)) {
    return Fail(ErrorCode::kInvalidArgument, "JWS signature does not verify with the key");
  }
  return *payload;
}

}  // namespace certfleet::crypto
