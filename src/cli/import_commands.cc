#include "cli/import_commands.h"

#include <ostream>

#include "cli/import/certbot_tree.h"
#include "common/time_format.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

std::string Padded(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

std::string Describe(const import::ImportCandidate& c) {
  std::string out = c.name;
  if (!c.sans.empty()) {
    out += " (+";
    for (const auto& s : c.sans) out += " " + s;
    out += ")";
  }
  return out + ", " + c.key_type + ", serial " + c.serial + ", valid until " +
         FormatRfc3339(c.not_after);
}

Status Run(HubClient& hub, const ImportOptions& o, Result<import::ImportSet> set,
           std::ostream& out) {
  if (!set) return Fail(set.error());
  int changes = 0;
  int failures = static_cast<int>(set->problems.size());
  for (const auto& c : set->candidates) {
    auto answer = SendImport(hub, c, o);
    if (!answer) {
      ++failures;
      out << Padded("refused", 10) << c.label << ": " << answer.error().message << "\n";
      continue;
    }
    const std::string action = answer->value("action", "?");
    if (action != "unchanged") ++changes;
    out << Padded(action, 10) << Describe(c) << "  [" << c.origin << "]";
    const std::string detail = answer->value("detail", "");
    out << (detail.empty() ? "" : "\n          " + detail) << "\n";
  }
  for (const auto& p : set->problems) {
    out << Padded("problem", 10) << p.label << ": " << p.error << "\n";
  }
  if (!o.apply) {
    out << "dry run: nothing changed; " << changes
        << " domain(s) would change — run again with --apply\n";
  } else {
    out << changes << " domain(s) changed\n";
  }
  if (failures > 0) {
    return Fail(ErrorCode::kInvalidArgument,
                std::to_string(failures) + " certificate(s) not imported (see above)");
  }
  return Ok();
}

}  // namespace

Result<json> SendImport(HubClient& hub, const import::ImportCandidate& c, const ImportOptions& o) {
  json body = {{"name", c.name},
               {"sans", c.sans},
               {"key_type", c.key_type},
               {"chain_pem", c.chain_pem},
               {"key_pem", c.key_pem},
               {"machines", o.machines},
               {"issuer", o.issuer.empty() ? "manual" : o.issuer},
               {"apply", o.apply}};
  if (!o.customer.empty()) body["customer"] = o.customer;
  return hub.Post("/api/v1/import", body);
}

Status RunImportCertbot(HubClient& hub, const ImportOptions& o, std::ostream& out) {
  return Run(hub, o, import::ReadCertbotTree(o.dir), out);
}

Status RunImportPem(HubClient& hub, const ImportOptions& o, std::ostream& out) {
  return Run(hub, o, import::ReadPemDirectory(o.dir), out);
}

}  // namespace certfleet::cli
