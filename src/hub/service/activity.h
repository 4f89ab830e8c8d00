// Audit rows in words, for the dashboard's feed, the audit page and `certfleet audit`:
// "alice added domain shop.example.com", "web-03 deployed shop.example.com",
// "certificate renewed for shop.example.com". Pure (parses the row's details JSON).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hub/service/domain_state.h"
#include "store/model.h"

namespace certfleet::hub::service {

struct Activity {
  std::string who;       // the person or part of the hub: "alice laptop", "issuance"
  std::string text;      // the sentence, starting with `who` where there is one
  std::string domain;    // the domain it is about, "" if none
  std::string machine;   // the machine it is about, "" if none
  std::string customer;  // the customer it is about, "" if none
  // "field: old → new" for updates whose audit row records its changes.
  std::vector<std::string> changes;
  Tone tone = Tone::kInfo;  // bad for failures, ok for issued/deployed
};

// "token:3 (alice laptop)" → "alice laptop"; "system:issuance" → "issuance";
// anything else unchanged.
std::string ActorName(std::string_view actor);

Activity DescribeAudit(const store::AuditEntry& entry);

}  // namespace certfleet::hub::service
