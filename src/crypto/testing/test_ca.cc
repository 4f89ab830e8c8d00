#include "crypto/testing/test_ca.h"

#include <chrono>
#include <map>

#include "crypto/hash.h"
#include "crypto/openssl_ptr.h"
#include "crypto/testing/test_keys.h"

namespace certfleet::crypto::testing {
namespace {

using std::chrono::hours;

struct CertSpec {
  std::string common_name;
  std::vector<std::string> dns_names;
  bool is_ca = false;
  TimePoint not_before;
  TimePoint not_after;
  EVP_PKEY* subject_key = nullptr;
  X509* issuer = nullptr;  // nullptr: self-signed
  EVP_PKEY* issuer_key = nullptr;
};

Status AddExtension(X509* x509, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
  if (!extension || X509_add_ext(x509, extension.get(), -1) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "test CA: adding extension " + value));
  }
  return Ok();
}

Status AddExtensions(X509* x509, const CertSpec& spec) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, spec.issuer != nullptr ? spec.issuer : x509, x509, nullptr, nullptr, 0);
  std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE"},
      {NID_key_usage,
       spec.is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment"},
      {NID_subject_key_identifier, "hash"}};
  if (spec.issuer != nullptr) extensions.emplace_back(NID_authority_key_identifier, "keyid:always");
  if (!spec.is_ca) extensions.emplace_back(NID_ext_key_usage, "serverAuth");
  std::string sans;
  for (const std::string& name : spec.dns_names) sans += (sans.empty() ? "DNS:" : ",DNS:") + name;
  if (!sans.empty()) extensions.emplace_back(NID_subject_alt_name, sans);
  for (const auto& [nid, value] : extensions) {
    if (auto status = AddExtension(x509, &ctx, nid, value); !status) return status;
  }
  return Ok();
}

Status SetNamesSerialAndValidity(X509* x509, const CertSpec& spec) {
  X509NamePtr subject(X509_NAME_new());
  std::string serial = RandomBytes(16);
  serial[0] = static_cast<char>(serial[0] & 0x7f);  // positive, as RFC 5280 requires
  BignumPtr serial_bn(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()), 16, nullptr));
  const bool ok =
      subject && serial_bn && X509_set_version(x509, X509_VERSION_3) == 1 &&
      X509_NAME_add_entry_by_NID(subject.get(), NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                                 -1, -1, 0) == 1 &&
      X509_set_subject_name(x509, subject.get()) == 1 &&
      X509_set_issuer_name(
          x509, spec.issuer != nullptr ? X509_get_subject_name(spec.issuer) : subject.get()) == 1 &&
      BN_to_ASN1_INTEGER(serial_bn.get(), X509_get_serialNumber(x509)) != nullptr &&
      ASN1_TIME_set(X509_getm_notBefore(x509),
                    std::chrono::system_clock::to_time_t(spec.not_before)) != nullptr &&
      ASN1_TIME_set(X509_getm_notAfter(x509),
                    std::chrono::system_clock::to_time_t(spec.not_after)) != nullptr &&
      X509_set_pubkey(x509, spec.subject_key) == 1;
  if (!ok)
    return Fail(OpensslError(ErrorCode::kInternal, "test CA: filling in " + spec.common_name));
  return Ok();
}

Result<Certificate> MakeCertificate(const CertSpec& spec) {
  X509Ptr x509(X509_new());
  if (!x509) return Fail(OpensslError(ErrorCode::kInternal, "test CA: X509_new"));
  if (auto status = SetNamesSerialAndValidity(x509.get(), spec); !status) {
    return Fail(status.error());
  }
  if (auto status = AddExtensions(x509.get(), spec); !status) return Fail(status.error());
  EVP_PKEY* signer = spec.issuer_key != nullptr ? spec.issuer_key : spec.subject_key;
  if (X509_sign(x509.get(), signer, EVP_sha256()) <= 0) {
    return Fail(OpensslError(ErrorCode::kInternal, "test CA: signing " + spec.common_name));
  }
  return Certificate::Adopt(x509.release());
}

}  // namespace

Result<TestCa> TestCa::Create(int intermediates, const std::string& name) {
  const TimePoint now = std::chrono::system_clock::now();
  const TimePoint not_before = now - hours(24);
  const TimePoint not_after = now + hours(24 * 3650);
  auto root_key = PrivateKey::Generate(KeyType::kEcP256);
  if (!root_key) return Fail(root_key.error());
  auto root = MakeCertificate({name + " Root", {}, true, not_before, not_after, root_key->get()});
  if (!root) return Fail(root.error());
  TestCa ca(*root, *root_key);
  for (int i = 1; i <= intermediates; ++i) {
    auto key = PrivateKey::Generate(KeyType::kEcP256);
    if (!key) return Fail(key.error());
    X509* parent = ca.intermediates_.empty() ? ca.root_.get() : ca.intermediates_.back().get();
    auto intermediate = MakeCertificate({name + " Intermediate " + std::to_string(i),
                                         {},
                                         true,
                                         not_before,
                                         not_after,
                                         key->get(),
                                         parent,
                                         ca.issuer_key_.get()});
    if (!intermediate) return Fail(intermediate.error());
    ca.intermediates_.push_back(std::move(*intermediate));
    ca.issuer_key_ = std::move(*key);
  }
  return ca;
}

Result<IssuedLeaf> TestCa::Issue(const LeafOptions& options) const {
  if (options.dns_names.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "test CA: a leaf needs at least one DNS name");
  }
  std::optional<PrivateKey> key = options.key;
  if (!key) {
    auto generated = PrivateKey::Generate(options.key_type);
    if (!generated) return Fail(generated.error());
    key = std::move(*generated);
  }
  const TimePoint now = std::chrono::system_clock::now();
  X509* issuer = intermediates_.empty() ? root_.get() : intermediates_.back().get();
  auto leaf = MakeCertificate({options.dns_names.front(), options.dns_names, false,
                               options.not_before.value_or(now - hours(1)),
                               options.not_after.value_or(now + hours(24 * 90)), key->get(), issuer,
                               issuer_key_.get()});
  if (!leaf) return Fail(leaf.error());
  std::vector<Certificate> chain = {*leaf};
  chain.insert(chain.end(), intermediates_.rbegin(), intermediates_.rend());
  std::string chain_pem = ToPemChain(chain);
  std::string leaf_pem = leaf->ToPem();
  std::string key_pem = key->ToPem();
  return IssuedLeaf{
      *key, *leaf, std::move(chain), std::move(chain_pem), std::move(leaf_pem), std::move(key_pem)};
}

const PrivateKey& CachedTestKey(KeyType type) {
  static const std::map<KeyType, PrivateKey> keys = [] {
    std::map<KeyType, PrivateKey> loaded;
    for (auto [key_type, pem] : {std::pair{KeyType::kEcP256, kTestKeyP256Pem},
                                 std::pair{KeyType::kEcP384, kTestKeyP384Pem},
                                 std::pair{KeyType::kRsa2048, kTestKeyRsa2048Pem},
                                 std::pair{KeyType::kRsa3072, kTestKeyRsa3072Pem},
                                 std::pair{KeyType::kRsa4096, kTestKeyRsa4096Pem}}) {
      loaded.emplace(key_type, PrivateKey::FromPem(pem).value());
    }
    return loaded;
  }();
  return keys.at(type);
}

}  // namespace certfleet::crypto::testing
