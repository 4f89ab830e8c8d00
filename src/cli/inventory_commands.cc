#include "cli/inventory_commands.h"

#include <iomanip>
#include <ostream>

#include "cli/json_text.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

std::string Machines(const json& group) {
  std::string out;
  for (const auto& m : group.value("machines", json::array())) {
    out += (out.empty() ? "" : ",") + m.value("machine", "?");
  }
  return out.empty() ? "-" : out;
}

void Row(std::ostream& out, const std::vector<std::string>& cells, const std::vector<size_t>& w) {
  for (size_t i = 0; i < cells.size(); ++i) {
    out << std::left << std::setw(static_cast<int>(i + 1 < cells.size() ? w[i] + 2 : 0))
        << cells[i];
  }
  out << "\n";
}

void PrintGroups(const json& items, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : items) {
    rows.push_back({Text(g, "name", "-"),
                    Text(g, "state", "-") + (g.value("conflict", false) ? " CONFLICT" : ""),
                    Text(g, "not_after", "-"), Machines(g), Text(g, "domain", "-")});
  }
  const std::vector<std::string> header = {"NAME", "STATE", "EXPIRES", "MACHINES", "DOMAIN"};
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  Row(out, header, width);
  for (const auto& r : rows) Row(out, r, width);
  out << rows.size() << " name(s)\n";
}

}  // namespace

Status RunInventoryList(HubClient& hub, const InventoryListOptions& o, std::ostream& out) {
  std::string path = "/api/v1/inventory?search=" + UrlEncode(o.search);
  if (!o.state.empty()) path += "&state=" + UrlEncode(o.state);
  if (o.conflicts) path += "&conflicts=1";
  if (o.expiring_days >= 0) path += "&expiring_days=" + std::to_string(o.expiring_days);
  auto page = hub.Get(path);
  if (!page) return Fail(page.error());
  if (o.json) {
    out << page->dump(2) << "\n";
    return Ok();
  }
  PrintGroups(page->value("items", json::array()), out);
  return Ok();
}

Status RunInventoryShow(HubClient& hub, const std::string& name, bool as_json, std::ostream& out) {
  auto g = hub.Get("/api/v1/inventory/names/" + UrlEncode(name));
  if (!g) return Fail(g.error());
  if (as_json) {
    out << g->dump(2) << "\n";
    return Ok();
  }
  out << Text(*g, "name", "-") << ": " << Text(*g, "state", "-")
      << (g->value("conflict", false) ? ", CONFLICT" : "") << ", expires "
      << Text(*g, "not_after", "-") << ", domain " << Text(*g, "domain", "-") << "\n";
  for (const auto& m : g->value("machines", json::array())) {
    out << "  " << Text(m, "machine", "-") << "\n";
    for (const auto& e : m.value("files", json::array())) {
      out << "    file   " << Text(e, "path", "-") << " (" << Text(e, "config_file", "-")
          << " line " << Text(e, "line", "-") << "): " << Text(e, "status", "-") << ", sha256 "
          << Text(e, "sha256", "-") << ", until " << Text(e, "not_after", "-") << "\n";
    }
    for (const auto& e : m.value("served", json::array())) {
      out << "    served " << Text(e, "path", "-") << ": "
          << (Text(e, "status", "-") == "ok"
                  ? "sha256 " + Text(e, "sha256", "-") + ", until " + Text(e, "not_after", "-")
                  : Text(e, "detail", "-"))
          << "\n";
    }
  }
  for (const auto& p : g->value("problems", json::array()))
    out << "  problem: " << p.get<std::string>() << "\n";
  return Ok();
}

Status RunInventoryMachine(HubClient& hub, const std::string& machine, bool as_json,
                           std::ostream& out) {
  auto r = hub.Get("/api/v1/inventory/machines/" + UrlEncode(machine));
  if (!r) return Fail(r.error());
  if (as_json) {
    out << r->dump(2) << "\n";
    return Ok();
  }
  const json& report = Field(*r, "report");
  out << Text(*r, "machine", "-") << ": reported " << Text(*r, "reported_at", "-") << " from "
      << Text(report, "source", "-") << " (" << Text(report, "main_file", "-") << ")\n";
  if (Text(report, "nginx_error", "-") != "" && Text(report, "nginx_error", "-") != "-") {
    out << "  nginx -T failed: " << Text(report, "nginx_error", "-") << "\n";
  }
  for (const auto& s : report.value("servers", json::array())) {
    out << "  " << Text(s, "file", "-") << ":" << Text(s, "line", "-") << " server";
    for (const auto& n : s.value("server_names", json::array())) out << " " << n.get<std::string>();
    out << "\n";
    for (const auto& p : s.value("pairs", json::array())) {
      out << "    " << Text(Field(p, "certificate"), "path", "-") << ": "
          << Text(Field(p, "certificate"), "status", "-") << "   key "
          << Text(Field(p, "key"), "path", "-") << ": " << Text(Field(p, "key"), "status", "-")
          << "\n";
    }
  }
  return Ok();
}

Status RunInventoryAdopt(HubClient& hub, const AdoptOptions& o, std::ostream& out) {
  json body = {{"apply", o.apply}};
  if (!o.issuer.empty()) body["issuer"] = o.issuer;
  if (!o.customer.empty()) body["customer"] = o.customer;
  if (o.reload_free) body["reload_free"] = true;
  auto a = hub.Post("/api/v1/inventory/names/" + UrlEncode(o.name) + "/adopt", body);
  if (!a) return Fail(a.error());
  if (o.json) {
    out << a->dump(2) << "\n";
    return Ok();
  }
  out << (o.apply ? (a->value("domain_existed", false) ? "domain exists: " : "domain created: ")
                  : "would create: ")
      << Text(*a, "domain", "-") << " (issuer " << Text(*a, "issuer", "-") << ")\n";
  if (Field(*a, "upload").is_object()) {
    out << "the agent uploads the certificate "
        << Text(Field(*a, "upload"), "sha256", "-").substr(0, 16) << "… it found (upload request "
        << Text(Field(*a, "upload"), "id", "-") << ")\n";
  }
  for (const auto& n : a->value("notes", json::array()))
    out << "note: " << n.get<std::string>() << "\n";
  out << "\nnginx lines to change:\n" << a->value("nginx_text", "");
  if (!o.apply) out << "\ndry run: nothing changed; run again with --apply\n";
  return Ok();
}

}  // namespace certfleet::cli
