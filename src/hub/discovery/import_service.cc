#include "hub/discovery/import_service.h"

#include <algorithm>
#include <set>

#include "common/time_format.h"
#include "hub/service/certificate_check.h"
#include "hub/service/domain_fields.h"
#include "hub/service/domains.h"
#include "hub/service/field_error.h"
#include "hub/service/lookup.h"
#include "issuance/renewal_policy.h"

namespace certfleet::hub::discovery {
namespace {

std::set<std::string> NameSet(const std::string& name, const std::vector<std::string>& sans) {
  std::set<std::string> out(sans.begin(), sans.end());
  out.insert(name);
  return out;
}

std::string Listed(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Machines named in the input that the domain does not have yet.
Result<std::vector<std::string>> MissingMachines(service::ServiceContext& s, const store::Domain& d,
                                                 const std::vector<std::string>& machines) {
  auto ids = service::MachineIdsOf(s.store, machines);
  if (!ids) return Fail(ids.error());
  std::vector<std::string> out;
  for (size_t i = 0; i < ids->size(); ++i) {
    if (std::find(d.machine_ids.begin(), d.machine_ids.end(), (*ids)[i]) == d.machine_ids.end()) {
      auto m = s.store.GetMachine((*ids)[i]);
      if (!m) return Fail(m.error());
      out.push_back(m->name);
    }
  }
  return out;
}

Result<ImportOutcome> Create(service::ServiceContext& s, const store::Actor& actor,
                             const ImportInput& in, store::Domain d) {
  auto customer = service::CustomerIdOf(s.store, in.customer);
  auto machines = service::MachineIdsOf(s.store, in.machines);
  if (auto e = service::FirstError(customer, machines); !e) return Fail(e.error());
  d.customer_id = *customer;
  d.machine_ids = *machines;
  auto version = service::ValidateUpload(d, in.chain_pem, in.key_pem, s.clock.Now(), s.envelope);
  if (!version) return Fail(version.error().WithContext("import of " + d.name));
  ImportOutcome out{d.name, "create", in.apply, ""};
  d.status = store::DomainStatus::kPending;
  if (d.issuer != store::kManualIssuer) {
    // Renewed by the issuer when the imported certificate is due, like one of its own.
    const TimePoint renew = issuance::RenewAt({version->not_before, version->not_after},
                                              s.clock.Now(), std::hash<std::string>{}(d.name));
    d.next_attempt_at = renew;
    d.renew_at = renew;
    out.detail = "renewed by " + d.issuer + " from " + FormatRfc3339(renew);
  }
  if (!in.apply) return out;
  auto created = s.store.CreateDomain(actor, d);
  if (!created) return Fail(created.error());
  version->domain_id = created->id;
  if (auto stored = s.store.AddCertificate(actor, *version); !stored) {
    (void)s.store.DeleteDomain(actor, created->id);  // not half-imported: run it again
    return Fail(stored.error().WithContext("import of " + d.name));
  }
  return out;
}

Result<ImportOutcome> Update(service::ServiceContext& s, const store::Actor& actor,
                             const ImportInput& in, const store::Domain& existing) {
  ImportOutcome out{existing.name, "unchanged", in.apply, ""};
  auto missing = MissingMachines(s, existing, in.machines);
  if (!missing) return Fail(missing.error());
  std::optional<store::CertificateVersion> current;
  if (existing.current_certificate_id) {
    auto c = s.store.GetCertificate(*existing.current_certificate_id);
    if (!c) return Fail(c.error());
    current = *c;
  }
  auto version =
      service::ValidateUpload(existing, in.chain_pem, in.key_pem, s.clock.Now(), s.envelope);
  if (!version) return Fail(version.error().WithContext("import of " + existing.name));
  bool upload = false;
  if (current && current->sha256 == version->sha256) {
    out.detail = "the hub already holds this certificate";
  } else if (existing.issuer != store::kManualIssuer) {
    out.detail = "renewed by " + existing.issuer + "; its own certificate is kept";
  } else if (current && current->not_after >= version->not_after) {
    out.detail = "the hub's certificate is as new or newer (valid until " +
                 FormatRfc3339(current->not_after) + ")";
  } else {
    upload = true;
    out.action = "update";
    out.detail = "a newer certificate becomes current";
  }
  if (!missing->empty()) {
    out.action = "update";
    out.detail += std::string(out.detail.empty() ? "" : "; ") + "adds machine(s)";
    for (const auto& m : *missing) out.detail += " " + m;
  }
  if (!in.apply) return out;
  if (!missing->empty()) {
    service::DomainInput change;
    change.add_machines = *missing;
    if (auto u = service::UpdateDomain(s, actor, existing.name, change); !u) return Fail(u.error());
  }
  if (upload) {
    if (auto stored = s.store.AddCertificate(actor, *version); !stored) return Fail(stored.error());
  }
  return out;
}

}  // namespace

Result<ImportOutcome> ImportCertificate(service::ServiceContext& s, const store::Actor& actor,
                                        const ImportInput& in) {
  auto fields = service::ValidateDomainFields(
      s.config,
      {in.name, in.sans, in.issuer.empty() ? std::string(store::kManualIssuer) : in.issuer,
       in.key_type, ""});
  if (!fields) return Fail(fields.error());
  auto existing = s.store.GetDomainByName(fields->name);
  if (!existing && existing.error().code != ErrorCode::kNotFound) return Fail(existing.error());
  if (!existing) {
    store::Domain d;
    d.name = fields->name;
    d.sans = fields->sans;
    d.issuer = fields->issuer;
    d.key_type = fields->key_type;
    return Create(s, actor, in, std::move(d));
  }
  const auto have = NameSet(existing->name, existing->sans);
  const auto want = NameSet(fields->name, fields->sans);
  if (have != want) {
    return Fail(ErrorCode::kConflict, "domain " + existing->name + " exists with the names " +
                                          Listed(have) + "; the certificate has " + Listed(want) +
                                          ": left as it is");
  }
  return Update(s, actor, in, *existing);
}

}  // namespace certfleet::hub::discovery
