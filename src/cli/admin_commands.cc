#include "cli/admin_commands.h"

#include <iomanip>
#include <ostream>

#include "common/atomic_file.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

std::string Text(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  return v.dump();
}

std::string Joined(const json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (!out.empty()) out += ",";
    out += item.is_string() ? item.get<std::string>() : item.dump();
  }
  return out.empty() ? "-" : out;
}

// Prints rows as left-aligned columns.
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      out << std::left << std::setw(static_cast<int>(i + 1 < cells.size() ? width[i] + 2 : 0))
          << cells[i];
    }
    out << "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
}

json Items(const json& page) {
  return page.is_object() && page.contains("items") ? page["items"] : json::array();
}

}  // namespace

Status RunCustomerAdd(HubClient& hub, const CustomerAddOptions& o, std::ostream& out) {
  json body = {{"name", o.name}, {"contact", o.contact}};
  if (!o.support_expires.empty()) body["support_expires"] = o.support_expires;
  auto created = hub.Post("/api/v1/customers", body);
  if (!created) return Fail(created.error());
  out << "customer " << Text(*created, "name") << " added\n";
  return Ok();
}

Status RunCustomerList(HubClient& hub, bool as_json, std::ostream& out) {
  auto page = hub.Get("/api/v1/customers?limit=1000");
  if (!page) return Fail(page.error());
  if (as_json) {
    out << page->dump(2) << "\n";
    return Ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : Items(*page))
    rows.push_back({Text(c, "name"), Text(c, "contact"), Text(c, "support_expires")});
  PrintTable(out, {"NAME", "CONTACT", "SUPPORT EXPIRES"}, rows);
  return Ok();
}

Status RunMachineAdd(HubClient& hub, const MachineAddOptions& o, std::ostream& out) {
  json body = {{"name", o.name}, {"address", o.address}};
  if (!o.customer.empty()) body["customer"] = o.customer;
  auto created = hub.Post("/api/v1/machines", body);
  if (!created) return Fail(created.error());
  out << "machine " << Text(*created, "name") << " added\n";
  return Ok();
}

Status RunMachineList(HubClient& hub, bool as_json, std::ostream& out) {
  auto page = hub.Get("/api/v1/machines?limit=1000");
  if (!page) return Fail(page.error());
  if (as_json) {
    out << page->dump(2) << "\n";
    return Ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : Items(*page)) {
    rows.push_back(
        {Text(m, "name"), Text(m, "address"), Text(m, "customer"), Text(m, "agent_last_seen")});
  }
  PrintTable(out, {"NAME", "ADDRESS", "CUSTOMER", "AGENT LAST SEEN"}, rows);
  return Ok();
}

Status RunDomainAdd(HubClient& hub, const DomainAddOptions& o, std::ostream& out) {
  json body = {{"name", o.name}, {"machines", o.machines}, {"sans", o.sans}};
  if (!o.customer.empty()) body["customer"] = o.customer;
  if (!o.issuer.empty()) body["issuer"] = o.issuer;
  if (!o.key_type.empty()) body["key_type"] = o.key_type;
  if (!o.profile.empty()) body["profile"] = o.profile;
  auto created = hub.Post("/api/v1/domains", body);
  if (!created) return Fail(created.error());
  out << "domain " << Text(*created, "name") << " added (issuer " << Text(*created, "issuer")
      << ", status " << Text(*created, "status") << ")\n";
  return Ok();
}

Status RunDomainList(HubClient& hub, const DomainListOptions& o, std::ostream& out) {
  std::string path = "/api/v1/domains?limit=" + std::to_string(o.limit);
  if (!o.search.empty()) path += "&q=" + UrlEncode(o.search);
  if (!o.status.empty()) path += "&status=" + UrlEncode(o.status);
  if (!o.customer.empty()) path += "&customer=" + UrlEncode(o.customer);
  auto page = hub.Get(path);
  if (!page) return Fail(page.error());
  if (o.json) {
    out << page->dump(2) << "\n";
    return Ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : Items(*page)) {
    rows.push_back({Text(d, "name"), Text(d, "status"), Text(d, "issuer"), Text(d, "not_after"),
                    Text(d, "customer"), Joined(d.value("machines", json::array()))});
  }
  PrintTable(out, {"DOMAIN", "STATUS", "ISSUER", "EXPIRES", "CUSTOMER", "MACHINES"}, rows);
  out << Items(*page).size() << " of " << Text(*page, "total") << " domains\n";
  return Ok();
}

Status RunDomainShow(HubClient& hub, const std::string& name, bool as_json, std::ostream& out) {
  auto d = hub.Get("/api/v1/domains/" + UrlEncode(name));
  if (!d) return Fail(d.error());
  if (as_json) {
    out << d->dump(2) << "\n";
    return Ok();
  }
  out << "domain:      " << Text(*d, "name") << "\n"
      << "status:      " << Text(*d, "status") << "\n"
      << "issuer:      " << Text(*d, "issuer") << " (" << Text(*d, "key_type") << ")\n"
      << "customer:    " << Text(*d, "customer") << "\n"
      << "machines:    " << Joined((*d)["machines"]) << "\n";
  if (const auto err = Text(*d, "last_error"); !err.empty()) {
    out << "last error:  " << err << "\nnext try:    " << Text(*d, "next_attempt_at") << "\n";
  }
  const json& cert = (*d)["current_certificate"];
  if (cert.is_object()) {
    out << "certificate: serial " << Text(cert, "serial") << ", valid until "
        << Text(cert, "not_after") << "\n             sha256 " << Text(cert, "sha256") << "\n";
  }
  for (const auto& dep : d->value("deployments", json::array())) {
    out << "deployment:  " << Text(dep, "machine") << " " << Text(dep, "status");
    if (const auto err = Text(dep, "error"); !err.empty()) out << " (" << err << ")";
    out << "\n";
  }
  return Ok();
}

Status RunDomainIssue(HubClient& hub, const std::string& name, std::ostream& out) {
  auto result = hub.Post("/api/v1/domains/" + UrlEncode(name) + "/issue", json::object());
  if (!result) return Fail(result.error());
  out << "issuance of " << name << " requested\n";
  return Ok();
}

Status RunCertUpload(HubClient& hub, const CertUploadOptions& o, std::ostream& out) {
  auto chain = ReadFile(o.cert_file, 1u << 20);
  if (!chain) return Fail(chain.error().WithContext("--cert"));
  auto key = ReadFile(o.key_file, 1u << 20);
  if (!key) return Fail(key.error().WithContext("--key"));
  auto stored = hub.Post("/api/v1/domains/" + UrlEncode(o.domain) + "/certificate",
                         {{"chain_pem", *chain}, {"key_pem", *key}});
  if (!stored) return Fail(stored.error());
  out << "certificate for " << o.domain << " stored: serial " << Text(*stored, "serial")
      << ", valid until " << Text(*stored, "not_after") << "\n";
  return Ok();
}

Status RunTokenCreate(HubClient& hub, const TokenCreateOptions& o, std::ostream& out) {
  json body = {{"role", o.role}, {"name", o.name.empty() ? o.role : o.name}};
  if (!o.machine.empty()) body["machine"] = o.machine;
  auto created = hub.Post("/api/v1/tokens", body);
  if (!created) return Fail(created.error());
  // The secret is shown once; print it alone on stdout so scripts can capture it.
  out << Text(*created, "secret") << "\n";
  return Ok();
}

}  // namespace certfleet::cli
