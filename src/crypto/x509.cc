#include "crypto/x509.h"

#include "common/encoding.h"
#include "common/time_format.h"
#include "common/utf8.h"
#include "crypto/hash.h"
#include "crypto/openssl_ptr.h"
#include "crypto/pem.h"

namespace certfleet::crypto {
namespace {

std::string Asn1Bytes(const ASN1_STRING* value) {
  if (value == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                     static_cast<size_t>(ASN1_STRING_length(value)));
}

// A certificate's notBefore/notAfter, clamped into 1970-01-01 .. 2261-12-31T23:59:59Z: RFC 5280
// §4.1.2.5 lets a certificate say 99991231235959Z ("no expiry"), and TimePoint cannot hold a
// year past 2261 (x509_fuzz found the overflow). The range also keeps notAfter - notBefore
// inside a 64-bit nanosecond duration for the renewal arithmetic.
TimePoint ToTimePoint(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    ClearOpensslErrors();
    return TimePoint{};
  }
  const int year = tm.tm_year + 1900;
  if (year < 1970) return TimePoint{};
  if (year > 2261) return *CivilTimeUtc(2261, 12, 31, 23, 59, 59);
  return CivilTimeUtc(year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)
      .value_or(TimePoint{});
}

std::string CommonName(const X509_NAME* name) {
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  unsigned char* utf8 = nullptr;
  const int size =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  if (size < 0) {
    ClearOpensslErrors();
    return {};
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(size));
  OPENSSL_free(utf8);
  return ToValidUtf8(out);  // a UTF8String's bytes are passed through unchecked
}

// Content bytes of a DER TLV (tag + length skipped); "" if malformed.
std::string DerContent(std::string_view tlv) {
  if (tlv.size() < 2) return {};
  size_t pos = 1;
  size_t length = static_cast<uint8_t>(tlv[pos++]);
  if (length >= 0x80) {
    const size_t count = length & 0x7f;
    if (count == 0 || count > 4 || tlv.size() - pos < count) return {};
    length = 0;
    for (size_t i = 0; i < count; ++i) length = (length << 8) | static_cast<uint8_t>(tlv[pos++]);
  }
  if (tlv.size() - pos != length) return {};
  return std::string(tlv.substr(pos));
}

}  // namespace

Result<Certificate> Certificate::FromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const long size = der.size() > 0x7fffffff ? 0x7fffffff : static_cast<long>(der.size());
  X509* x509 = d2i_X509(nullptr, &p, size);
  if (x509 == nullptr) {
    return Fail(OpensslError(ErrorCode::kInvalidArgument, "parsing a DER certificate"));
  }
  std::shared_ptr<X509> owned(x509, X509_free);
  ClearOpensslErrors();  // a parseable certificate may leave notes from its extensions
  if (p != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return Fail(ErrorCode::kInvalidArgument, "parsing a DER certificate: trailing bytes");
  }
  return Certificate(std::move(owned));
}

namespace {

// The DER of the one CERTIFICATE block `pem` must consist of.
Result<std::string> SingleCertificateDer(std::string_view pem) {
  auto blocks = DecodePemBlocks(pem);
  if (!blocks) return Fail(blocks.error());
  if (blocks->blocks.size() != 1 || blocks->other_text) {
    return Fail(ErrorCode::kInvalidArgument,
                "expected exactly one CERTIFICATE PEM block and nothing else, found " +
                    std::to_string(blocks->blocks.size()) + " blocks" +
                    (blocks->other_text ? " and other text" : ""));
  }
  PemBlock& block = blocks->blocks.front();
  if (block.label != "CERTIFICATE") {
    return Fail(ErrorCode::kInvalidArgument,
                "expected a CERTIFICATE PEM block, found " + block.label);
  }
  return std::move(block.der);
}

}  // namespace

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  auto der = SingleCertificateDer(pem);
  if (!der) return Fail(der.error());
  return FromDer(*der);
}

Result<std::string> PemCertificateFingerprint(std::string_view pem) {
  auto der = SingleCertificateDer(pem);
  if (!der) return Fail(der.error());
  return HexEncode(Sha256(*der));
}

Certificate Certificate::Adopt(x509_st* x509) {
  return Certificate(std::shared_ptr<X509>(x509, X509_free));
}

std::string Certificate::ToDer() const { return ToDerString(x509_.get(), i2d_X509); }

std::string Certificate::ToPem() const { return EncodePem("CERTIFICATE", ToDer()); }

std::vector<std::string> Certificate::DnsNames() const {
  std::vector<std::string> names;
  auto* sans = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(x509_.get(), NID_subject_alt_name, nullptr, nullptr));
  if (sans == nullptr) {
    ClearOpensslErrors();
    return names;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type == GEN_DNS) names.push_back(Asn1Bytes(name->d.dNSName));
  }
  GENERAL_NAMES_free(sans);
  return names;
}

TimePoint Certificate::NotBefore() const { return ToTimePoint(X509_get0_notBefore(x509_.get())); }

TimePoint Certificate::NotAfter() const { return ToTimePoint(X509_get0_notAfter(x509_.get())); }

std::string Certificate::SerialDer() const {
  // OpenSSL keeps the magnitude only; ARI (RFC 9773 §4.1) needs the DER content
  // octets, including a leading 0x00 that keeps a high-bit serial positive.
  auto* serial = const_cast<ASN1_INTEGER*>(X509_get0_serialNumber(x509_.get()));
  return DerContent(ToDerString(serial, i2d_ASN1_INTEGER));
}

std::string Certificate::SerialHex() const { return HexEncode(SerialDer()); }

std::string Certificate::IssuerCommonName() const {
  return CommonName(X509_get_issuer_name(x509_.get()));
}

std::string Certificate::SubjectCommonName() const {
  return CommonName(X509_get_subject_name(x509_.get()));
}

// Both read OpenSSL's cache of the extensions, filled by X509_check_purpose on first use; a
// malformed extension leaves errors on the queue there, which are not this caller's failure.
std::string Certificate::AuthorityKeyId() const {
  std::string id = Asn1Bytes(X509_get0_authority_key_id(x509_.get()));
  ClearOpensslErrors();
  return id;
}

std::string Certificate::SubjectKeyId() const {
  std::string id = Asn1Bytes(X509_get0_subject_key_id(x509_.get()));
  ClearOpensslErrors();
  return id;
}

std::string Certificate::Sha256Fingerprint() const { return HexEncode(Sha256(ToDer())); }

bool Certificate::IsSelfIssued() const {
  return X509_NAME_cmp(X509_get_issuer_name(x509_.get()), X509_get_subject_name(x509_.get())) == 0;
}

bool Certificate::MatchesKey(const PrivateKey& key) const {
  const EVP_PKEY* public_key = X509_get0_pubkey(x509_.get());
  const bool match = public_key != nullptr && EVP_PKEY_eq(public_key, key.get()) == 1;
  ClearOpensslErrors();
  return match;
}

}  // namespace certfleet::crypto
