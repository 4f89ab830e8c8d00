#include "crypto/csr.h"

#include "crypto/openssl_ptr.h"

namespace certfleet::crypto {
namespace {

constexpr size_t kMaxCommonNameLength = 64;  // RFC 5280 ub-common-name

Result<GeneralNamesPtr> DnsGeneralNames(const std::vector<std::string>& names) {
  GeneralNamesPtr general_names(GENERAL_NAMES_new());
  if (!general_names) return Fail(OpensslError(ErrorCode::kInternal, "building the CSR SANs"));
  for (const std::string& name : names) {
    ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
    if (ia5 == nullptr || ASN1_STRING_set(ia5, name.data(), static_cast<int>(name.size())) != 1) {
      ASN1_IA5STRING_free(ia5);
      return Fail(OpensslError(ErrorCode::kInternal, "building the CSR SAN " + name));
    }
    GENERAL_NAME* general_name = GENERAL_NAME_new();
    if (general_name == nullptr) {
      ASN1_IA5STRING_free(ia5);
      return Fail(OpensslError(ErrorCode::kInternal, "building the CSR SAN " + name));
    }
    GENERAL_NAME_set0_value(general_name, GEN_DNS, ia5);  // takes ia5
    if (sk_GENERAL_NAME_push(general_names.get(), general_name) <= 0) {
      GENERAL_NAME_free(general_name);
      return Fail(OpensslError(ErrorCode::kInternal, "building the CSR SAN " + name));
    }
  }
  return general_names;
}

Status AddSubjectAltNames(X509_REQ* req, const std::vector<std::string>& names) {
  auto general_names = DnsGeneralNames(names);
  if (!general_names) return Fail(general_names.error());
  X509ExtensionPtr extension(
      X509V3_EXT_i2d(NID_subject_alt_name, /*crit=*/0, general_names->get()));
  STACK_OF(X509_EXTENSION)* extensions = sk_X509_EXTENSION_new_null();
  const bool ok = extension && extensions != nullptr &&
                  sk_X509_EXTENSION_push(extensions, extension.get()) > 0 &&
                  X509_REQ_add_extensions(req, extensions) == 1;
  sk_X509_EXTENSION_free(extensions);  // borrows `extension`; the request copied it
  if (!ok) return Fail(OpensslError(ErrorCode::kInternal, "adding the CSR SAN extension"));
  return Ok();
}

Status SetSubject(X509_REQ* req, const std::string& first_name) {
  // The CN is informational for ACME (the SANs decide); a name over the CN limit is
  // simply left out of the subject rather than making the CSR invalid.
  if (first_name.size() > kMaxCommonNameLength) return Ok();
  X509_NAME* subject = X509_REQ_get_subject_name(req);
  if (X509_NAME_add_entry_by_NID(subject, NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(first_name.data()),
                                 static_cast<int>(first_name.size()), -1, 0) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "setting the CSR subject CN " + first_name));
  }
  return Ok();
}

}  // namespace

Result<std::string> CreateCsrDer(const PrivateKey& key, const std::vector<std::string>& names) {
  if (names.empty()) return Fail(ErrorCode::kInvalidArgument, "a CSR needs at least one name");
  for (const std::string& name : names) {
    if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "a CSR name is empty");
  }
  X509ReqPtr req(X509_REQ_new());
  if (!req || X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1 ||
      X509_REQ_set_pubkey(req.get(), key.get()) != 1) {
    return Fail(OpensslError(ErrorCode::kInternal, "creating the CSR for " + names[0]));
  }
  if (auto status = SetSubject(req.get(), names[0]); !status) return Fail(status.error());
  if (auto status = AddSubjectAltNames(req.get(), names); !status) return Fail(status.error());
  if (X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0) {
    return Fail(OpensslError(ErrorCode::kInternal, "signing the CSR for " + names[0]));
  }
  std::string der = ToDerString(req.get(), i2d_X509_REQ);
  if (der.empty()) return Fail(OpensslError(ErrorCode::kInternal, "encoding the CSR"));
  return der;
}

}  // namespace certfleet::crypto
