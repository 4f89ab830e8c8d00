// The dashboard: what needs attention first (failed orders with the CA's words and the next
// try, failed deployments with nginx's error, expiries, uploads awaited, silent agents),
// then coloured tiles, the weekly expiry chart and the latest activity in words.
// The numbers come from service::LoadFleetStatus, as GET /api/v1/status's do.
#include <map>
#include <set>

#include "hub/auth.h"
#include "hub/service/activity.h"
#include "hub/service/fleet_status.h"
#include "hub/ui/expiry_chart.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

using service::Tone;

constexpr std::size_t kAttentionShown = 25;

std::string Tile(std::string_view id, std::string_view label, std::int64_t n, std::string_view href,
                 Tone tone_when_nonzero) {
  const std::string tone = n > 0 ? std::string(service::ToneName(tone_when_nonzero)) : "none";
  return "<a class=\"count tone-" + tone + "\" id=\"count-" + Escape(id) + "\" href=\"" +
         Escape(href) + "\"><b>" + std::to_string(n) + "</b>" + Escape(label) + "</a>";
}

std::string Tiles(const service::FleetCounts& c) {
  std::string out = "<div class=\"counts\">";
  out += Tile("failed", "failed orders", c.failed, "/ui/domains?status=failed", Tone::kBad);
  out += Tile("deploy-failed", "failed deployments", c.deploy_failed, "#attention", Tone::kBad);
  out += Tile("expired", "expired", c.expired, "/ui/domains?expiring=0", Tone::kBad);
  out += Tile("expiring", "expiring within 30 days", c.expiring_soon, "/ui/domains?expiring=30",
              Tone::kWarn);
  out += Tile("awaiting", "awaiting upload", c.awaiting_upload,
              "/ui/domains?status=pending&issuer=manual", Tone::kWarn);
  out += Tile("silent", "agents silent", c.agents_silent, "/ui/machines", Tone::kWarn);
  out += Tile("undeployed", "not deployed everywhere", c.not_deployed, "#attention", Tone::kInfo);
  out += Tile("renewing", "renewing / issuing", c.renewing, "/ui/domains?status=renewing",
              Tone::kInfo);
  out +=
      Tile("pending", "waiting for an order", c.pending, "/ui/domains?status=pending", Tone::kInfo);
  out += Tile("valid", "valid", c.valid, "/ui/domains?status=valid", Tone::kOk);
  out += Tile("total", "domains", c.domains, "/ui/domains", Tone::kInfo);
  return out + "</div>";
}

std::string Subject(const service::AttentionItem& a) {
  std::string out;
  if (!a.domain.empty()) out += Link("/ui/domains/" + UrlComponent(a.domain), a.domain);
  if (!a.machine.empty()) {
    out += (out.empty() ? "" : " on ") + Link("/ui/machines/" + UrlComponent(a.machine), a.machine);
  }
  return out;
}

// A kind with more than kGroupAbove items shows as one line with the first few subjects.
constexpr std::size_t kGroupAbove = 3;
constexpr std::size_t kSubjectsInGroup = 6;

std::string GroupHeading(const std::string& kind, std::size_t n) {
  const std::string count = std::to_string(n);
  if (kind == "agent_never_seen") {
    return count +
           " machines' agents have never contacted the hub (create an agent token for "
           "each and start certfleet-agent there):";
  }
  if (kind == "agent_silent") return count + " agents have been silent for over 15 minutes:";
  if (kind == "awaiting_upload") return count + " manual domains wait for a certificate upload:";
  if (kind == "not_deployed") return count + " certificates are not yet reported deployed:";
  if (kind == "order_failed") return count + " orders failed:";
  if (kind == "deploy_failed") return count + " deployments failed:";
  if (kind == "expiring") return count + " certificates expire soon:";
  if (kind == "expired") return count + " certificates have expired:";
  return count + " × " + kind + ":";
}

// What an item's time means, in words: "next try in 4 min", "last contact 2 h ago".
std::string WhenLabel(const std::string& kind) {
  if (kind == "order_failed") return "next try ";
  if (kind == "deploy_failed" || kind == "not_deployed") return "reported ";
  if (kind == "agent_silent") return "last contact ";
  if (kind == "expired") return "expired ";
  if (kind == "expiring") return "expires ";
  return "";
}

std::string ItemHtml(const service::AttentionItem& a, TimePoint now) {
  std::string out = "<li class=\"tone-" + std::string(service::ToneName(a.tone)) +
                    "\" data-kind=\"" + Escape(a.kind) + "\"><span class=\"what\">" + Subject(a) +
                    "</span> <span class=\"why\">" + Escape(a.message) + "</span>";
  if (a.when) {
    out += " <span class=\"muted when\">(" + Escape(WhenLabel(a.kind)) + WhenHtml(now, a.when) +
           ")</span>";
  }
  return out + "</li>";
}

std::string GroupHtml(const std::vector<const service::AttentionItem*>& items) {
  std::string out = "<li class=\"tone-" + std::string(service::ToneName(items.front()->tone)) +
                    "\" data-kind=\"" + Escape(items.front()->kind) + "\"><span class=\"why\">" +
                    Escape(GroupHeading(items.front()->kind, items.size())) + "</span> ";
  for (std::size_t i = 0; i < items.size() && i < kSubjectsInGroup; ++i) {
    out += (i ? ", " : "") + Subject(*items[i]);
  }
  if (items.size() > kSubjectsInGroup) {
    out += " <span class=\"muted\">and " + std::to_string(items.size() - kSubjectsInGroup) +
           " more</span>";
  }
  return out + "</li>";
}

std::string AttentionList(const service::FleetStatus& f, TimePoint now) {
  if (f.attention.empty()) {
    return "<p class=\"all-good\" id=\"nothing-needs-attention\">Nothing needs attention: " +
           std::to_string(f.counts.valid) + " of " + std::to_string(f.counts.domains) +
           " domains are valid.</p>";
  }
  std::map<std::string, std::vector<const service::AttentionItem*>> by_kind;
  for (const auto& a : f.attention) by_kind[a.kind].push_back(&a);
  std::string out = "<ul class=\"attention\">";
  std::set<std::string> grouped;
  std::size_t lines = 0;
  for (const auto& a : f.attention) {
    const auto& same = by_kind[a.kind];
    if (same.size() > kGroupAbove) {
      if (!grouped.insert(a.kind).second) continue;
      out += GroupHtml(same);
    } else {
      out += ItemHtml(a, now);
    }
    if (++lines >= kAttentionShown) {
      out += "<li class=\"muted\">… certfleet status lists everything</li>";
      break;
    }
  }
  return out + "</ul>";
}

Result<std::string> ActivityFeed(UiContext& ui, TimePoint now, store::Role role) {
  auto entries = ui.api.store.ListAudit({.limit = 15});
  if (!entries) return Fail(entries.error());
  if (entries->empty()) return std::string("<p class=\"muted\">Nothing happened yet.</p>");
  std::string out = "<ul class=\"feed\" id=\"activity\">";
  for (const auto& e : *entries) {
    if (IsTokenLifecycle(e.action) && !MaySeeTokenLifecycle(role)) continue;
    const auto a = service::DescribeAudit(e);
    out += "<li class=\"tone-" + std::string(service::ToneName(a.tone)) + "\">" +
           WhenHtml(now, e.at) + " " + Escape(a.text);
    for (const auto& change : a.changes)
      out += "<br><span class=\"muted\">" + Escape(change) + "</span>";
    out += "</li>";
  }
  return out + "</ul><p><a href=\"/ui/audit\">Everything that changed ›</a></p>";
}

Result<http::Response> Dashboard(UiContext& ui, const http::Request&, const Viewer& viewer) {
  const TimePoint now = ui.api.clock.Now();
  auto f = service::LoadFleetStatus(ui.api.store, now, ui.api.config.issuers);
  if (!f) return Fail(f.error().WithContext("loading the dashboard"));
  auto feed = ActivityFeed(ui, now, viewer.principal().role);
  if (!feed) return Fail(feed.error());
  std::string body =
      "<h1>Dashboard</h1><h2 id=\"attention\">Needs attention</h2><div class=\"card\">" +
      AttentionList(*f, now) + "</div>" + Tiles(f->counts);
  body +=
      "<h2>Certificates expiring, week by week</h2><div class=\"card chart\" id=\"expiry-chart\">" +
      ExpiryChartSvg(f->counts.expired, f->expiry_weeks, now) +
      "<p class=\"legend\"><span class=\"key bad\"></span>expired or within a week "
      "<span class=\"key warn\"></span>within four weeks <span "
      "class=\"key\"></span>later</p></div>";
  body += "<h2>Latest activity</h2><div class=\"card\">" + *feed + "</div>";
  return HtmlResponse(Page(&viewer, "Dashboard", "dashboard", body));
}

}  // namespace

void AddDashboardRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/", Dashboard);
}

}  // namespace certfleet::hub::ui
