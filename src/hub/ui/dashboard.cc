// The dashboard: counts by state, expiry chart, latest events, silent agents.
#include "hub/ui/dashboard_data.h"
#include "hub/ui/expiry_chart.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

std::string CountTile(std::string_view id, std::string_view label, std::int64_t n,
                      std::string_view href) {
  return "<a class=\"count\" id=\"count-" + Escape(id) + "\" href=\"" + Escape(href) + "\"><b>" +
         std::to_string(n) + "</b>" + Escape(label) + "</a>";
}

std::string Counts(const DashboardData& d) {
  std::string out = "<div class=\"counts\">";
  out += CountTile("total", "domains", d.total, "/ui/domains");
  out += CountTile("valid", "valid", d.valid, "/ui/domains?status=valid");
  out += CountTile("renewing", "renewing / issuing", d.renewing, "/ui/domains?status=renewing");
  out += CountTile("failed", "failed", d.failed, "/ui/domains?status=failed");
  out +=
      CountTile("expiring", "expiring within 30 days", d.expiring_soon, "/ui/domains?expiring=30");
  out += CountTile("expired", "expired", d.expired, "/ui/domains?expiring=0");
  out += CountTile("undeployed", "not deployed everywhere",
                   static_cast<std::int64_t>(d.not_deployed.size()), "#undeployed");
  out += CountTile("pending", "waiting (pending)", d.pending, "/ui/domains?status=pending");
  return out + "</div>";
}

std::string Events(const DashboardData& d, TimePoint now) {
  if (d.events.empty()) return "<p class=\"muted\">No events yet.</p>";
  std::string out =
      "<div class=\"table-wrap\"><table><thead><tr><th>when</th><th>event</th>"
      "<th>subject</th></tr></thead><tbody>";
  for (const auto& e : d.events) {
    out += "<tr><td>" + WhenHtml(now, e.created_at) + "</td><td class=\"mono\">" + Escape(e.type) +
           "</td><td>";
    if (e.subject.rfind("domain:", 0) == 0) {
      const std::string name = e.subject.substr(7);
      out += Link("/ui/domains/" + UrlComponent(name), name);
    } else {
      out += Escape(e.subject);
    }
    out += "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

std::string SilentMachines(const DashboardData& d, TimePoint now) {
  if (d.silent_machines.empty()) return "<p class=\"muted\">Every agent reported recently.</p>";
  std::string out = "<ul>";
  for (const auto& m : d.silent_machines) {
    out += "<li>" + Link("/ui/machines/" + UrlComponent(m.name), m.name) + " — " +
           (m.agent_last_seen ? "last seen " + WhenHtml(now, m.agent_last_seen)
                              : std::string("agent never reported")) +
           "</li>";
  }
  return out + "</ul>";
}

std::string Undeployed(const DashboardData& d) {
  if (d.not_deployed.empty())
    return "<p class=\"muted\">Every current certificate is deployed on all its machines.</p>";
  std::string out = "<ul>";
  for (const auto& name : d.not_deployed_names) {
    out += "<li>" + Link("/ui/domains/" + UrlComponent(name), name) + "</li>";
  }
  if (d.not_deployed.size() > d.not_deployed_names.size()) {
    out += "<li class=\"muted\">and " +
           std::to_string(d.not_deployed.size() - d.not_deployed_names.size()) + " more</li>";
  }
  return out + "</ul>";
}

Result<http::Response> Dashboard(UiContext& ui, const http::Request&, const Viewer& viewer) {
  const TimePoint now = ui.api.clock.Now();
  auto d = LoadDashboard(ui.api.store, now);
  if (!d) return Fail(d.error().WithContext("loading the dashboard"));
  std::string body = "<h1>Dashboard</h1>" + Counts(*d);
  body += "<h2>Certificate expiries, next " + std::to_string(kChartDays) +
          " days</h2>"
          "<div class=\"card chart\" id=\"expiry-chart\">" +
          ExpiryChartSvg(d->expiry_buckets, kChartBucketDays, now) + "</div>";
  body += "<h2 id=\"undeployed\">Not deployed everywhere</h2><div class=\"card\">" +
          Undeployed(*d) + "</div>";
  body +=
      "<h2>Agents not heard from in " +
      std::to_string(std::chrono::duration_cast<std::chrono::minutes>(kAgentSilentAfter).count()) +
      " minutes</h2><div class=\"card\" id=\"silent-agents\">" + SilentMachines(*d, now) + "</div>";
  body += "<h2>Latest events</h2>" + Events(*d, now);
  return HtmlResponse(Page(&viewer, "Dashboard", "dashboard", body));
}

}  // namespace

void AddDashboardRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/", Dashboard);
}

}  // namespace certfleet::hub::ui
