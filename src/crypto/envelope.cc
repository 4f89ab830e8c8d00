#include "crypto/envelope.h"

#include <array>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "common/encoding.h"
#include "crypto/hash.h"
#include "crypto/openssl_ptr.h"

namespace certfleet::crypto {
namespace {

constexpr std::string_view kMagic = "cfv1";
constexpr size_t kKeySize = 32;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Runs the AEAD over `input` into `out` (same size); false on any OpenSSL failure.
bool Crypt(EVP_CIPHER_CTX* ctx, std::string_view associated_data, std::string_view input,
           std::string& out) {
  int length = 0;
  if (!associated_data.empty() && EVP_CipherUpdate(ctx, nullptr, &length, Bytes(associated_data),
                                                   static_cast<int>(associated_data.size())) != 1) {
    return false;
  }
  out.resize(input.size());
  auto* dest = reinterpret_cast<unsigned char*>(out.data());
  if (!input.empty() &&
      EVP_CipherUpdate(ctx, dest, &length, Bytes(input), static_cast<int>(input.size())) != 1) {
    return false;
  }
  int final_length = 0;
  return EVP_CipherFinal_ex(ctx, dest + input.size(), &final_length) == 1;
}

bool Fits(std::string_view data) { return data.size() < static_cast<size_t>(INT_MAX); }

}  // namespace

Result<Envelope> Envelope::Create(std::string_view key) {
  if (key.size() != kKeySize) {
    return Fail(ErrorCode::kInvalidArgument,
                "envelope master key must be 32 bytes, got " + std::to_string(key.size()));
  }
  return Envelope(std::string(key));
}

std::string Envelope::Seal(std::string_view plaintext, std::string_view associated_data) const {
  const std::string nonce = RandomBytes(kNonceSize);
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string ciphertext;
  std::array<char, kTagSize> tag{};
  // Sealing only fails if OpenSSL itself is broken; storing an unsealed or partial
  // secret would be worse than stopping.
  if (!Fits(plaintext) || !Fits(associated_data) || !ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_.view()), Bytes(nonce)) !=
          1 ||
      !Crypt(ctx.get(), associated_data, plaintext, ciphertext) ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag.data()) != 1) {
    std::fprintf(stderr, "certfleet: fatal: AES-256-GCM seal failed\n");
    std::abort();
  }
  std::string sealed;
  sealed.reserve(kMagic.size() + kNonceSize + ciphertext.size() + kTagSize);
  sealed.append(kMagic).append(nonce).append(ciphertext).append(tag.data(), tag.size());
  return sealed;
}

Result<Secret> Envelope::Open(std::string_view sealed, std::string_view associated_data) const {
  if (sealed.size() < kMagic.size() + kNonceSize + kTagSize ||
      sealed.substr(0, kMagic.size()) != kMagic) {
    return Fail(ErrorCode::kCorrupt, "sealed secret is truncated or not in the cfv1 format");
  }
  if (!Fits(sealed) || !Fits(associated_data)) {
    return Fail(ErrorCode::kInvalidArgument, "sealed secret is too large");
  }
  const std::string_view nonce = sealed.substr(kMagic.size(), kNonceSize);
  const std::string_view body = sealed.substr(kMagic.size() + kNonceSize);
  const std::string_view ciphertext = body.substr(0, body.size() - kTagSize);
  std::string tag(body.substr(body.size() - kTagSize));
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string plaintext;
  const bool ok = ctx &&
                  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_.view()),
                                     Bytes(nonce)) == 1 &&
                  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1 &&
                  Crypt(ctx.get(), associated_data, ciphertext, plaintext);
  ClearOpensslErrors();
  if (!ok) {
    WipeString(plaintext);  // GCM decrypts before it checks the tag
    return Fail(ErrorCode::kCorrupt,
                "sealed secret failed authentication: wrong master key, wrong associated data, "
                "or the stored bytes were altered");
  }
  return Secret(std::move(plaintext));
}

std::string Envelope::DeriveKey(std::string_view purpose) const {
  return HmacSha256(key_.view(), "certfleet derived key v1: " + std::string(purpose));
}

std::string Envelope::Fingerprint() const {
  return HexEncode(HmacSha256(key_.view(), "certfleet master key fingerprint v1"));
}

}  // namespace certfleet::crypto
