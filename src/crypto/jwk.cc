#include "crypto/jwk.h"

#include <openssl/core_names.h>

#include <array>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "crypto/hash.h"
#include "crypto/openssl_ptr.h"

namespace certfleet::crypto {
namespace {

// Big-endian bytes of a BIGNUM key parameter; "" if the key lacks it (not possible
// for keys PrivateKey accepted).
std::string BnParam(EVP_PKEY* pkey, const char* name, size_t min_size) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    ClearOpensslErrors();
    return {};
  }
  BignumPtr bn(raw);
  return BignumBytes(bn.get(), min_size);
}

// RFC 7638 §3.2: the required members of each key type.
Result<std::vector<std::string_view>> RequiredMembers(std::string_view kty) {
  if (kty == "EC") return std::vector<std::string_view>{"crv", "kty", "x", "y"};
  if (kty == "RSA") return std::vector<std::string_view>{"e", "kty", "n"};
  if (kty == "oct") return std::vector<std::string_view>{"k", "kty"};
  return Fail(ErrorCode::kInvalidArgument,
              "JWK thumbprint: unsupported \"kty\" \"" + std::string(kty) + "\"");
}

}  // namespace

nlohmann::json PublicJwk(const PrivateKey& key) {
  nlohmann::json jwk;
  if (key.IsEc()) {
    const bool p256 = key.type() == KeyType::kEcP256;
    const size_t size = p256 ? 32 : 48;  // RFC 7518 §6.2.1.2: full field-size octets
    jwk["crv"] = p256 ? "P-256" : "P-384";
    jwk["kty"] = "EC";
    jwk["x"] = Base64UrlEncode(BnParam(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, size));
    jwk["y"] = Base64UrlEncode(BnParam(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, size));
  } else {
    // RFC 7518 §6.3.1: n and e are minimal big-endian octets.
    jwk["e"] = Base64UrlEncode(BnParam(key.get(), OSSL_PKEY_PARAM_RSA_E, 0));
    jwk["kty"] = "RSA";
    jwk["n"] = Base64UrlEncode(BnParam(key.get(), OSSL_PKEY_PARAM_RSA_N, 0));
  }
  return jwk;
}

Result<std::string> JwkThumbprint(const nlohmann::json& jwk) {
  if (!jwk.is_object())
    return Fail(ErrorCode::kInvalidArgument, "JWK thumbprint: not a JSON object");
  const auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "JWK thumbprint: missing string member \"kty\"");
  }
  auto members = RequiredMembers(kty->get_ref<const std::string&>());
  if (!members) return Fail(members.error());
  // nlohmann::json objects are ordered by key, and dump() emits no whitespace: exactly
  // the canonical form RFC 7638 §3 asks for.
  nlohmann::json canonical = nlohmann::json::object();
  for (std::string_view name : *members) {
    const auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "JWK thumbprint: missing string member \"" + std::string(name) + "\"");
    }
    canonical[std::string(name)] = *it;
  }
  return Base64UrlEncode(
      Sha256(canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

std::string JwkThumbprint(const PrivateKey& key) {
  // PublicJwk always has every required member, so this cannot fail.
  return JwkThumbprint(PublicJwk(key)).value_or(std::string());
}

}  // namespace certfleet::crypto
