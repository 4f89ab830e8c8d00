#include "hub/service/domains.h"

#include <algorithm>

#include "common/domain_name.h"
#include "hub/service/certificate_check.h"
#include "hub/service/domain_fields.h"
#include "hub/service/field_error.h"
#include "hub/service/lookup.h"
#include "issuance/save_schedule.h"

namespace certfleet::hub::service {
namespace {

bool IsAcme(const store::Domain& d) { return d.issuer != store::kManualIssuer; }

// `list` with `add` appended (skipping names already there) and `remove` taken out.
std::vector<std::string> Edited(std::vector<std::string> list, const std::vector<std::string>& add,
                                const std::vector<std::string>& remove) {
  for (const auto& name : add) {
    if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
  }
  std::erase_if(list, [&](const std::string& name) {
    return std::find(remove.begin(), remove.end(), name) != remove.end();
  });
  return list;
}

// SAN edits compare canonical names, so "WWW.Shop.example.com." removes www.shop.example.com.
Result<std::vector<std::string>> CanonicalNames(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& name : names) {
    auto canonical = NormalizeDomainName(name, {.allow_wildcard = true});
    if (!canonical) return FieldError(label::kOtherNames, canonical.error().message);
    out.push_back(*canonical);
  }
  return out;
}

Result<std::vector<std::string>> MachineNames(ServiceContext& s, const store::Domain& d) {
  std::vector<std::string> names;
  for (auto id : d.machine_ids) {
    auto m = s.store.GetMachine(id);
    if (!m) return Fail(m.error());
    names.push_back(m->name);
  }
  return names;
}

Status ApplySans(const DomainInput& in, store::Domain& d, std::vector<std::string>& sans) {
  sans = in.sans.value_or(d.sans);
  if (in.add_sans.empty() && in.remove_sans.empty()) return Ok();
  auto current = CanonicalNames(sans);
  auto add = CanonicalNames(in.add_sans);
  auto remove = CanonicalNames(in.remove_sans);
  if (auto e = FirstError(current, add, remove); !e) return e;
  sans = Edited(std::move(*current), *add, *remove);
  return Ok();
}

Status ApplyMachines(ServiceContext& s, const DomainInput& in, store::Domain& d) {
  if (!in.machines && in.add_machines.empty() && in.remove_machines.empty()) return Ok();
  std::vector<std::string> names;
  if (in.machines) {
    names = *in.machines;
  } else {
    auto current = MachineNames(s, d);
    if (!current) return Fail(current.error());
    names = std::move(*current);
  }
  auto ids = MachineIdsOf(s.store, Edited(std::move(names), in.add_machines, {}));
  auto removed = MachineIdsOf(s.store, in.remove_machines);
  if (auto e = FirstError(ids, removed); !e) return e;
  std::erase_if(*ids, [&](store::Id id) {
    return std::find(removed->begin(), removed->end(), id) != removed->end();
  });
  d.machine_ids = std::move(*ids);
  return Ok();
}

// Overlays `in` on `d` and validates the result as a whole.
Status Apply(ServiceContext& s, const DomainInput& in, store::Domain& d) {
  std::vector<std::string> sans;
  if (auto st = ApplySans(in, d, sans); !st) return st;
  DomainFields f{in.name.value_or(d.name), std::move(sans), in.issuer.value_or(d.issuer),
                 in.key_type.value_or(d.key_type), in.profile.value_or(d.profile)};
  auto valid = ValidateDomainFields(s.config, std::move(f));
  if (!valid) return Fail(valid.error());
  if (in.customer) {
    auto id = CustomerIdOf(s.store, *in.customer);
    if (!id) return Fail(id.error());
    d.customer_id = *id;
  }
  if (auto st = ApplyMachines(s, in, d); !st) return st;
  d.name = valid->name;
  d.sans = valid->sans;
  d.issuer = valid->issuer;
  d.key_type = valid->key_type;
  d.profile = valid->profile;
  return Ok();
}

void WakeIfDue(ServiceContext& s, const std::optional<issuance::SaveSchedule>& schedule) {
  if (schedule && schedule->wake_worker) s.wake_issuance();
}

}  // namespace

Result<store::Domain> CreateDomain(ServiceContext& s, const store::Actor& actor,
                                   const DomainInput& in) {
  if (!in.name || in.name->empty()) {
    return FieldError(label::kDomainName,
                      "enter the name the certificate is for, e.g. "
                      "shop.example.com");
  }
  store::Domain d;
  if (auto st = Apply(s, in, d); !st) return Fail(st.error());
  d.status = store::DomainStatus::kPending;
  const auto schedule = issuance::ScheduleAfterSave(std::nullopt, d, s.clock.Now());
  if (schedule) d.next_attempt_at = schedule->next_attempt_at;
  auto created = s.store.CreateDomain(actor, d);
  if (!created) return created;
  WakeIfDue(s, schedule);
  return created;
}

Result<store::Domain> UpdateDomain(ServiceContext& s, const store::Actor& actor,
                                   std::string_view name, const DomainInput& in) {
  auto before = FindDomain(s.store, name);
  if (!before) return before;
  if (in.name && *in.name != before->name) {
    return FieldError(label::kDomainName,
                      "a domain cannot be renamed; add the new name as a domain of its own");
  }
  store::Domain d = *before;
  if (in.version) d.version = *in.version;
  if (auto st = Apply(s, in, d); !st) return Fail(st.error());
  const auto schedule = issuance::ScheduleAfterSave(*before, d, s.clock.Now());
  if (schedule) d.next_attempt_at = schedule->next_attempt_at;
  auto updated = s.store.UpdateDomain(actor, d);
  if (!updated) return updated;
  WakeIfDue(s, schedule);
  return updated;
}

Status DeleteDomain(ServiceContext& s, const store::Actor& actor, std::string_view name) {
  auto d = FindDomain(s.store, name);
  if (!d) return Fail(d.error());
  return s.store.DeleteDomain(actor, d->id);
}

Result<store::Domain> RequestIssuance(ServiceContext& s, const store::Actor& actor,
                                      std::string_view name) {
  auto d = FindDomain(s.store, name);
  if (!d) return d;
  if (!IsAcme(*d)) {
    return Fail(ErrorCode::kConflict,
                "domain " + d->name +
                    " has issuer manual: nobody orders its certificates; upload one instead "
                    "(certfleet cert upload " +
                    d->name + " --cert FILE --key FILE, or the domain page's Upload button)");
  }
  auto requested = s.store.RequestIssuance(actor, d->id, s.clock.Now());
  if (!requested) return requested;
  s.wake_issuance();
  return requested;
}

Result<store::CertificateVersion> UploadCertificate(ServiceContext& s, const store::Actor& actor,
                                                    std::string_view name,
                                                    std::string_view chain_pem,
                                                    std::string_view key_pem) {
  auto d = FindDomain(s.store, name);
  if (!d) return Fail(d.error());
  if (IsAcme(*d)) {
    return Fail(ErrorCode::kConflict, "domain " + d->name + " has issuer " + d->issuer +
                                          "; only domains with issuer manual take uploads");
  }
  if (chain_pem.empty() || key_pem.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "upload for " + d->name + ": give both the certificate chain and its private key");
  }
  auto version = ValidateUpload(*d, chain_pem, key_pem, s.clock.Now(), s.envelope);
  if (!version) return Fail(version.error().WithContext("upload for " + d->name));
  // One transaction: the certificate, its events and the domain becoming valid.
  return s.store.AddCertificate(actor, *version);
}

}  // namespace certfleet::hub::service
