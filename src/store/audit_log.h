// AuditLog: who changed what. Rows are written by the mutating calls of the other roles,
// in their own transaction (see store/store.h); this role only reads them.
//
// Callers: the audit API and UI.
#pragma once

#include <vector>

#include "common/error.h"
#include "store/model.h"
#include "store/types.h"

namespace certfleet::store {

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Newest first; filtered by exact target, paged backwards by id.
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& q) = 0;
};

}  // namespace certfleet::store
