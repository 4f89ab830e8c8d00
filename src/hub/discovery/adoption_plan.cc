#include "hub/discovery/adoption_plan.h"

#include <algorithm>
#include <cctype>

#include "common/domain_name.h"
#include "common/time_format.h"
#include "hub/discovery/fleet_view.h"

namespace certfleet::hub::discovery {
namespace {

constexpr const char* kManual = "manual";

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool Names(const ReportServer& s, const std::string& name) {
  return std::any_of(s.server_names.begin(), s.server_names.end(), [&](const std::string& n) {
    const std::string lower = Lower(n);
    return lower == name || (lower.size() > 1 && lower[0] == '.' && lower.substr(1) == name);
  });
}

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

bool IsIssuableKeyType(const std::string& t) {
  return t == "ec-p256" || t == "ec-p384" || t == "rsa-2048" || t == "rsa-3072" || t == "rsa-4096";
}

struct Found {
  const MachineReport* machine;
  const ReportServer* server;
};

// The server blocks naming `name`, per machine in the given order.
std::vector<Found> ServersNaming(const std::vector<MachineReport>& machines,
                                 const std::string& name) {
  std::vector<Found> out;
  for (const auto& m : machines) {
    for (const auto& s : m.report.servers) {
      if (s.context == "http" && s.tls && Names(s, name)) out.push_back({&m, &s});
    }
  }
  return out;
}

// The newest usable certificate for a manual adoption, or why there is none.
Status PickCertificate(const std::vector<Found>& found, const std::string& name, TimePoint now,
                       AdoptionPlan& plan) {
  std::string why = "no readable certificate file is configured for " + name;
  for (const Found& f : found) {
    for (const auto& pair : f.server->pairs) {
      const ReportCertificate* c = f.machine->report.Find(pair.certificate.sha256);
      if (c == nullptr || pair.key.status != "ok") continue;
      if (std::none_of(c->names.begin(), c->names.end(),
                       [&](const std::string& n) { return Covers(n, name); })) {
        why = "the certificate configured for " + name + " does not cover it";
        continue;
      }
      if (c->not_after <= now) {
        why = "the certificate found for " + name + " expired on " + FormatRfc3339(c->not_after) +
              ": adopt the name with an ACME issuer instead";
        continue;
      }
      // A CA-issued certificate beats a self-signed one, then the one valid longest: a
      // machine cannot win with a certificate it made up.
      const bool better =
          !plan.source_not_after || (plan.source_self_signed && !c->self_signed) ||
          (plan.source_self_signed == c->self_signed && *plan.source_not_after < c->not_after);
      if (!better) continue;
      plan.source_self_signed = c->self_signed;
      plan.source_issuer = c->issuer;
      plan.source_sha256 = c->sha256;
      plan.source_machine_id = f.machine->machine_id;
      plan.source_not_after = c->not_after;
      plan.sans.clear();
      for (const auto& n : c->names) {
        if (n != name) plan.sans.push_back(n);
      }
      plan.key_type = IsIssuableKeyType(c->key_type) ? c->key_type : "";
    }
  }
  if (plan.source_sha256.empty()) return Fail(ErrorCode::kConflict, why);
  return Ok();
}

void AcmeNames(const std::vector<Found>& found, const std::string& name, AdoptionPlan& plan) {
  for (const Found& f : found) {
    for (const auto& n : f.server->server_names) {
      auto host = NormalizeDomainName(n);  // no wildcards, regexes, "_"
      if (host && *host != name) AddUnique(plan.sans, *host);
    }
  }
}

// The reload-free variable of certfleet's map (docs/nginx.md §4, agent/reload_free_files.h).
constexpr const char* kBundleVariable = "$certfleet_bundle";

ServerChange ChangeFor(const Found& f, const std::string& domain, SiteLines site_lines) {
  const std::string live = f.machine->report.output_dir + "/live/" + domain + "/";
  const bool free = site_lines == SiteLines::kReloadFree;
  const std::string cert = free ? kBundleVariable : live + "fullchain.pem";
  const std::string key = free ? kBundleVariable : live + "privkey.pem";
  ServerChange c{f.machine->machine_id, f.machine->machine,     f.server->file,
                 f.server->line,        f.server->server_names, {}};
  for (size_t i = 0; i < f.server->pairs.size(); ++i) {
    const auto& pair = f.server->pairs[i];
    const bool keep = i == 0;
    c.lines.push_back({pair.certificate.file, pair.certificate.line, "ssl_certificate",
                       pair.certificate.path, keep ? cert : "", pair.inherited});
    c.lines.push_back({pair.key.file, pair.key.line, "ssl_certificate_key", pair.key.path,
                       keep ? key : "", pair.inherited});
  }
  if (f.server->pairs.empty()) {
    c.lines.push_back({f.server->file, f.server->line, "ssl_certificate", "", cert, true});
    c.lines.push_back({f.server->file, f.server->line, "ssl_certificate_key", "", key, true});
  }
  return c;
}

// What a machine needs once before its sites can use the reload-free lines.
std::string ReloadFreeNote(const MachineReport& m) {
  return m.machine + ": the reload-free lines need, once, `include " + m.report.output_dir +
         "/nginx/certfleet-map.conf;` in nginx's http {} and `reload_free = true` with "
         "`key_group` (the group of nginx's workers) in agent.toml (docs/nginx.md §4)";
}

}  // namespace

Result<AdoptionPlan> PlanAdoption(const std::string& raw_name, const std::string& issuer,
                                  const std::vector<MachineReport>& machines, TimePoint now,
                                  SiteLines lines) {
  auto name = NormalizeDomainName(raw_name);
  if (!name) return Fail(name.error().WithContext("adopting " + raw_name));
  const std::vector<Found> found = ServersNaming(machines, *name);
  if (found.empty()) {
    return Fail(ErrorCode::kNotFound, "no machine's nginx configuration serves " + *name +
                                          " over TLS (run `certfleet-agent discover` on the "
                                          "hosts that serve it first)");
  }
  AdoptionPlan plan;
  plan.name = *name;
  plan.issuer = issuer.empty() ? kManual : issuer;
  plan.lines = lines;
  for (const Found& f : found) {
    if (std::find(plan.machine_ids.begin(), plan.machine_ids.end(), f.machine->machine_id) ==
        plan.machine_ids.end()) {
      plan.machine_ids.push_back(f.machine->machine_id);
      if (lines == SiteLines::kReloadFree) plan.notes.push_back(ReloadFreeNote(*f.machine));
    }
  }
  if (plan.issuer == kManual) {
    if (auto s = PickCertificate(found, *name, now, plan); !s) return Fail(s.error());
  } else {
    AcmeNames(found, *name, plan);
  }
  for (const Found& f : found) {
    plan.changes.push_back(ChangeFor(f, plan.name, plan.lines));
    if (f.server->pairs.size() > 1) {
      plan.notes.push_back(f.machine->machine + ": " + f.server->file + " line " +
                           std::to_string(f.server->line) + " has " +
                           std::to_string(f.server->pairs.size()) +
                           " certificate pairs; the domain has one key type, so the others go");
    }
  }
  return plan;
}

void PrintNginxChanges(const AdoptionPlan& plan, std::ostream& out) {
  std::vector<std::string> machines;
  for (const ServerChange& c : plan.changes) {
    if (!plan.source_sha256.empty() && c.machine_id == plan.source_machine_id) {
      out << "certificate taken from " << c.machine << ": issuer " << plan.source_issuer
          << (plan.source_self_signed ? " (self-signed)" : "") << ", valid until "
          << FormatRfc3339(*plan.source_not_after) << ", sha256 " << plan.source_sha256 << "\n";
      break;
    }
  }
  for (const ServerChange& c : plan.changes) {
    AddUnique(machines, c.machine);
    out << c.machine << ": " << c.file << " line " << c.line << " (server";
    for (const auto& n : c.server_names) out << " " << n;
    out << ")\n";
    for (const LineChange& l : c.lines) {
      if (l.inherited) {
        out << "  in this server block, add:  " << l.directive << " " << l.new_value << ";";
        if (!l.old_value.empty()) {
          out << "   (instead of the http-level " << l.old_value << " in " << l.file << " line "
              << l.line << ")";
        }
        out << "\n";
        continue;
      }
      out << "  " << (l.file != c.file ? l.file + " " : "") << "line " << l.line << ": "
          << l.directive << " " << l.old_value << ";\n";
      if (l.new_value.empty()) {
        out << "       →  (remove this line)\n";
      } else {
        out << "       →  " << l.directive << " " << l.new_value << ";\n";
      }
    }
  }
  // The order that leaves no gap (docs/design/2026-12-06-adoption-without-a-gap.md): the
  // agent's files first (else nginx -t fails and the old files keep serving), then the switch.
  out << "change them once `certfleet domain show " << plan.name
      << "` lists each machine as pending (\"installed, not served by nginx yet\") or "
         "deployed: the agent's files must exist first\n";
  for (const auto& m : machines) out << "then on " << m << ": nginx -t && nginx -s reload\n";
}

}  // namespace certfleet::hub::discovery
