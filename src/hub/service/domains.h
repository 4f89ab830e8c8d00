// The rules of saving a domain, shared by the API (hub/api/domains.cc), the web UI
// (hub/ui/domain_form.cc, the domain page) and so the CLI.
//
// Every write here: validates and normalises the input (domain_fields.h, lookup.h), lets
// issuance::ScheduleAfterSave decide when the domain becomes due, stores the change with
// its events and audit row in one store transaction, then wakes the issuance worker if
// an order is due now. Errors are worded for people and name the field (field_error.h);
// the store's kConflict for a stale version and kAlreadyExists for a taken name pass
// through with their messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "hub/service/context.h"
#include "store/store.h"

namespace certfleet::hub::service {

// A domain as a person enters it. On update, an absent field keeps its value; `sans` and
// `machines` replace the whole list, the add_/remove_ lists change it in place (applied
// after a replacement, removals last). customer "" means "no customer".
struct DomainInput {
  std::optional<std::string> name;  // create only (required there)
  std::optional<std::vector<std::string>> sans;
  std::optional<std::string> customer;
  std::optional<std::vector<std::string>> machines;
  std::optional<std::string> issuer;    // "" = the hub's default issuer
  std::optional<std::string> key_type;  // "" = the hub's default key type
  std::optional<std::string> profile;
  std::vector<std::string> add_sans, remove_sans;
  std::vector<std::string> add_machines, remove_machines;
  // Update only: the version the change was based on; a newer stored version is a
  // kConflict ("was changed by someone else"). nullopt: last write wins.
  std::optional<std::int64_t> version;
};

// Creates the domain (status pending; an ACME domain is due at once and the worker woken).
Result<store::Domain> CreateDomain(ServiceContext& s, const store::Actor& actor,
                                   const DomainInput& in);
// Changes the domain found by `name` (any spelling FindDomain accepts). A changed name
// list, key type, profile or issuer makes an ACME domain due now.
Result<store::Domain> UpdateDomain(ServiceContext& s, const store::Actor& actor,
                                   std::string_view name, const DomainInput& in);
// Deletes the domain with its certificates, orders and deployments.
Status DeleteDomain(ServiceContext& s, const store::Actor& actor, std::string_view name);
// The "Issue / renew now" button: due now, failure count reset, worker woken.
// kConflict for a manual domain (its certificates are uploaded).
Result<store::Domain> RequestIssuance(ServiceContext& s, const store::Actor& actor,
                                      std::string_view name);
// Checks and stores a certificate bought elsewhere for a manual domain (which becomes
// valid in the same transaction). Errors start with "upload for <domain>: ".
Result<store::CertificateVersion> UploadCertificate(ServiceContext& s, const store::Actor& actor,
                                                    std::string_view name,
                                                    std::string_view chain_pem,
                                                    std::string_view key_pem);

}  // namespace certfleet::hub::service
