#include "hub/discovery/inventory_service.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "common/domain_name.h"
#include "hub/service/certificate_check.h"
#include "hub/service/domains.h"

namespace certfleet::hub::discovery {
namespace {

std::map<store::Id, std::string> MachineNames(service::ServiceContext& s,
                                              const std::vector<store::InventoryEntry>& entries) {
  std::map<store::Id, std::string> out;
  for (const auto& e : entries) {
    if (out.count(e.machine_id) != 0) continue;
    auto m = s.store.GetMachine(e.machine_id);
    out[e.machine_id] = m ? m->name : "#" + std::to_string(e.machine_id);
  }
  return out;
}

bool Wanted(const NameGroup& g, const FleetQuery& q, TimePoint now) {
  if (!q.state.empty() && NameStateName(g.state) != q.state) return false;
  if (q.conflicts_only && !g.conflict) return false;
  if (!q.name_contains.empty() && g.name.find(q.name_contains) == std::string::npos) return false;
  if (q.expiring_within_days) {
    if (!g.not_after || *g.not_after >= now + std::chrono::hours(24 * *q.expiring_within_days)) {
      return false;
    }
  }
  return true;
}

Result<store::Domain> CreateFor(service::ServiceContext& s, const store::Actor& actor,
                                const AdoptInput& in, const AdoptionPlan& plan) {
  service::DomainInput d;
  d.name = plan.name;
  d.sans = plan.sans;
  d.issuer = plan.issuer;
  d.key_type = plan.key_type;
  if (!in.customer.empty()) d.customer = in.customer;
  std::vector<std::string> machines;
  for (store::Id id : plan.machine_ids) {
    auto m = s.store.GetMachine(id);
    if (!m) return Fail(m.error());
    machines.push_back(m->name);
  }
  d.machines = machines;
  return service::CreateDomain(s, actor, d);
}

Result<std::vector<NameGroup>> Groups(service::ServiceContext& s, store::InventoryBook& book,
                                      const store::InventoryQuery& q) {
  auto entries = book.ListInventoryEntries(q);
  if (!entries) return Fail(entries.error());
  auto managed = book.ListManagedNames();
  if (!managed) return Fail(managed.error());
  std::vector<ManagedDomain> domains;
  for (auto& m : *managed) domains.push_back({m.name, m.sans, m.current_sha256});
  return GroupByName(*entries, MachineNames(s, *entries), domains);
}

}  // namespace

Result<ReportOutcome> ReceiveInventory(service::ServiceContext& s, store::InventoryBook& book,
                                       const store::Actor& actor, store::Id machine_id,
                                       std::string_view body) {
  auto report = ParseInventoryReport(body);
  if (!report) return Fail(report.error());
  auto changed = book.PutInventory(actor, ToMachineInventory(*report, machine_id));
  if (!changed) return Fail(changed.error());
  auto uploads = book.ListPendingUploads(machine_id);
  if (!uploads) return Fail(uploads.error());
  (void)s;
  return ReportOutcome{*changed, std::move(*uploads)};
}

Result<std::vector<NameGroup>> FleetView(service::ServiceContext& s, store::InventoryBook& book,
                                         const FleetQuery& q) {
  auto groups = Groups(s, book, {});
  if (!groups) return Fail(groups.error());
  const TimePoint now = s.clock.Now();
  std::erase_if(*groups, [&](const NameGroup& g) { return !Wanted(g, q, now); });
  return groups;
}

Result<NameGroup> NameView(service::ServiceContext& s, store::InventoryBook& book,
                           const std::string& name) {
  auto groups = Groups(s, book, {.name = name});
  if (!groups) return Fail(groups.error());
  if (groups->empty()) return Fail(ErrorCode::kNotFound, "no machine reported " + name);
  return std::move(groups->front());
}

Result<std::vector<MachineReport>> ReportsNaming(service::ServiceContext& s,
                                                 store::InventoryBook& book,
                                                 const std::string& name) {
  auto entries = book.ListInventoryEntries({.name = name});
  if (!entries) return Fail(entries.error());
  std::set<store::Id> machines;
  for (const auto& e : *entries) machines.insert(e.machine_id);
  std::vector<MachineReport> out;
  for (store::Id id : machines) {
    auto inventory = book.GetInventory(id);
    auto machine = s.store.GetMachine(id);
    if (!inventory || !machine) continue;  // removed meanwhile
    auto report = ParseInventoryReport(inventory->body_json);
    if (!report)
      return Fail(report.error().WithContext("the stored inventory of " + machine->name));
    out.push_back({id, machine->name, std::move(*report)});
  }
  return out;
}

Result<AdoptOutcome> Adopt(service::ServiceContext& s, store::InventoryBook& book,
                           const store::Actor& actor, const AdoptInput& in) {
  auto name = NormalizeDomainName(in.name);
  if (!name) return Fail(name.error());
  auto reports = ReportsNaming(s, book, *name);
  if (!reports) return Fail(reports.error());
  auto plan = PlanAdoption(*name, in.issuer, *reports, s.clock.Now(), in.lines);
  if (!plan) return Fail(plan.error());
  AdoptOutcome out{*plan, in.apply, false, std::nullopt, ""};
  std::ostringstream text;
  PrintNginxChanges(*plan, text);
  out.nginx_changes = text.str();
  auto existing = s.store.GetDomainByName(plan->name);
  out.domain_existed = existing.has_value();
  if (!in.apply) return out;
  auto domain = existing ? std::move(existing) : CreateFor(s, actor, in, *plan);
  if (!domain) return Fail(domain.error());
  if (plan->source_sha256.empty() || domain->issuer != store::kManualIssuer) return out;
  store::UploadRequest r;
  r.machine_id = plan->source_machine_id;
  r.domain_id = domain->id;
  r.sha256 = plan->source_sha256;
  auto requested = book.RequestUpload(actor, r);
  if (!requested) return Fail(requested.error());
  out.upload = *requested;
  return out;
}

Result<store::UploadRequest> ReceiveUpload(service::ServiceContext& s, store::InventoryBook& book,
                                           const store::Actor& actor, store::Id machine_id,
                                           store::Id request_id, std::string_view chain_pem,
                                           std::string_view key_pem, std::string_view declined) {
  auto r = book.GetUploadRequest(request_id);
  if (!r) return Fail(r.error());
  if (r->machine_id != machine_id) {
    return Fail(ErrorCode::kPermissionDenied,
                "upload request " + std::to_string(request_id) + " is not for this machine");
  }
  if (r->state != store::UploadState::kPending) {
    return Fail(ErrorCode::kConflict,
                "upload request " + std::to_string(request_id) + " is no longer pending");
  }
  if (!declined.empty()) {
    return book.FinishUpload(actor, request_id, store::UploadState::kFailed,
                             "the agent declined: " + std::string(declined.substr(0, 2000)));
  }
  auto domain = s.store.GetDomain(r->domain_id);
  if (!domain) return Fail(domain.error());
  auto version =
      domain->issuer == store::kManualIssuer
          ? service::ValidateUpload(*domain, chain_pem, key_pem, s.clock.Now(), s.envelope)
          : Result<store::CertificateVersion>(
                Fail(ErrorCode::kConflict, "domain " + domain->name + " has issuer " +
                                               domain->issuer + " now; nothing to upload"));
  if (version && version->sha256 != r->sha256) {
    version =
        Fail(ErrorCode::kInvalidArgument, "the uploaded certificate " + version->sha256 +
                                              " is not the one asked for (" + r->sha256 + ")");
  }
  if (version) {
    auto stored = s.store.AddCertificate(actor, *version);
    if (!stored && stored.error().code != ErrorCode::kAlreadyExists) version = Fail(stored.error());
  }
  if (!version) {
    (void)book.FinishUpload(actor, request_id, store::UploadState::kFailed,
                            version.error().message);
    return Fail(version.error().WithContext("upload for " + domain->name));
  }
  return book.FinishUpload(actor, request_id, store::UploadState::kDone, "");
}

}  // namespace certfleet::hub::discovery
