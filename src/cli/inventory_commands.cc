#include "cli/inventory_commands.h"

#include <iomanip>
#include <ostream>

namespace certfleet::cli {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "-";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

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
    rows.push_back({Str(g, "name"),
                    Str(g, "state") + (g.value("conflict", false) ? " CONFLICT" : ""),
                    Str(g, "not_after"), Machines(g), Str(g, "domain")});
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
  out << Str(*g, "name") << ": " << Str(*g, "state")
      << (g->value("conflict", false) ? ", CONFLICT" : "") << ", expires " << Str(*g, "not_after")
      << ", domain " << Str(*g, "domain") << "\n";
  for (const auto& m : g->value("machines", json::array())) {
    out << "  " << Str(m, "machine") << "\n";
    for (const auto& e : m.value("files", json::array())) {
      out << "    file   " << Str(e, "path") << " (" << Str(e, "config_file") << " line "
          << Str(e, "line") << "): " << Str(e, "status") << ", sha256 " << Str(e, "sha256")
          << ", until " << Str(e, "not_after") << "\n";
    }
    for (const auto& e : m.value("served", json::array())) {
      out << "    served " << Str(e, "path") << ": "
          << (Str(e, "status") == "ok"
                  ? "sha256 " + Str(e, "sha256") + ", until " + Str(e, "not_after")
                  : Str(e, "detail"))
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
  const json& report = (*r)["report"];
  out << Str(*r, "machine") << ": reported " << Str(*r, "reported_at") << " from "
      << Str(report, "source") << " (" << Str(report, "main_file") << ")\n";
  if (Str(report, "nginx_error") != "" && Str(report, "nginx_error") != "-") {
    out << "  nginx -T failed: " << Str(report, "nginx_error") << "\n";
  }
  for (const auto& s : report.value("servers", json::array())) {
    out << "  " << Str(s, "file") << ":" << Str(s, "line") << " server";
    for (const auto& n : s.value("server_names", json::array())) out << " " << n.get<std::string>();
    out << "\n";
    for (const auto& p : s.value("pairs", json::array())) {
      out << "    " << Str(p["certificate"], "path") << ": " << Str(p["certificate"], "status")
          << "   key " << Str(p["key"], "path") << ": " << Str(p["key"], "status") << "\n";
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
      << Str(*a, "domain") << " (issuer " << Str(*a, "issuer") << ")\n";
  if (a->contains("upload") && (*a)["upload"].is_object()) {
    out << "the agent uploads the certificate " << Str((*a)["upload"], "sha256").substr(0, 16)
        << "… it found (upload request " << Str((*a)["upload"], "id") << ")\n";
  }
  for (const auto& n : a->value("notes", json::array()))
    out << "note: " << n.get<std::string>() << "\n";
  out << "\nnginx lines to change:\n" << a->value("nginx_text", "");
  if (!o.apply) out << "\ndry run: nothing changed; run again with --apply\n";
  return Ok();
}

}  // namespace certfleet::cli
