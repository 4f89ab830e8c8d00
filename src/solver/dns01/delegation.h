// DNS-01 by delegation, answered by the hub itself: the pieces every hub shares.
//
// The provider delegates one zone to its hubs (acme.provider.net NS hub1, hub2). Each
// domain gets a stable, unguessable label; for each of its names the customer creates
// once
//     _acme-challenge.<name>  CNAME  <label>.<zone>
// and from then on the hubs' DNS responders answer TXT at <label>.<zone> with the digests
// of the domain's pending DNS-01 challenges. The records live on a DelegatedTxtBoard —
// the store — so whichever hub the CA's resolver asks has them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::solver {

// A fresh label: 16 characters of base32 (a-z, 2-7), 80 random bits.
std::string NewDelegationLabel();
// True for what NewDelegationLabel makes (a stored label read back is checked with it).
bool IsDelegationLabel(std::string_view label);

// The CNAME a name needs: "_acme-challenge.<name>" → "<label>.<zone>" (a wildcard's
// name without "*.": it shares the record of its apex).
struct DelegationRecord {
  std::string name;    // "_acme-challenge.shop.example.com"
  std::string target;  // "k7wq3vd2mzx4tq5a.acme.provider.net"
};
// One record per distinct name of the domain, in the order of `names`.
std::vector<DelegationRecord> DelegationRecords(const std::vector<std::string>& names,
                                                std::string_view label, std::string_view zone);

// Where the delegated zone's TXT records live. Implementations MUST be safe for
// concurrent use; every hub on the same store must see a record within ~1 s.
class DelegatedTxtBoard {
 public:
  virtual ~DelegatedTxtBoard() = default;
  // Publishes `value` at <label>.<zone> until `expires_at` or Withdraw(key). `key` names
  // the record (a challenge token, a check's probe); publishing a key again replaces it.
  virtual Status Publish(std::string_view key, std::string_view label, std::string_view value,
                         TimePoint expires_at) = 0;
  // Removes the record; fine for an unknown key.
  virtual Status Withdraw(std::string_view key) = 0;
};

}  // namespace certfleet::solver
