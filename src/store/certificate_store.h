// CertificateStore: the certificate versions of each domain, with their sealed keys.
//
// Keys arrive sealed (crypto/sealed_key.h: AES-256-GCM, bound to the domain and the leaf
// fingerprint); the store never sees a plaintext key and never puts the sealed blob into
// events, audit rows or errors.
//
// Callers: manual uploads (service layer / API / UI), the agent API (GetCertificate), the
// issuance job (GetCertificate of the one it renews; stores through AddCertificate), the
// ARI refresh (UpdateCertificateAri), the certificate views.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"
#include "store/types.h"

namespace certfleet::store {

class CertificateStore {
 public:
  virtual ~CertificateStore() = default;

  // Stores a new version and makes it the domain's current certificate. If c.order_id is
  // set, that order becomes kCompleted in the same transaction (so a crash cannot store
  // the certificate twice; a second add of the same sha256 for the domain → kAlreadyExists).
  // Emits certificate.issued (first certificate) or certificate.renewed, plus
  // machine.desired_changed for each hosting machine. A manual upload (source kManual)
  // also makes the domain kValid with last_error and failure_count cleared, in the same
  // transaction (domain.status when status or error change). kInvalidArgument without
  // chain, encrypted key or sha256; kNotFound for an unknown domain.
  virtual Result<CertificateVersion> AddCertificate(const Actor& actor,
                                                    const CertificateVersion& c) = 0;
  virtual Result<CertificateVersion> GetCertificate(Id id) = 0;
  // Newest first; encrypted_key and chain_pem included.
  virtual Result<std::vector<CertificateVersion>> ListCertificates(Id domain_id,
                                                                   std::int64_t limit) = 0;
  // Renewal information refresh. Housekeeping: no event, no audit. kNotFound for an
  // unknown certificate.
  virtual Status UpdateCertificateAri(Id certificate_id, std::optional<TimePoint> window_start,
                                      std::optional<TimePoint> window_end,
                                      std::optional<TimePoint> retry_after) = 0;
};

}  // namespace certfleet::store
