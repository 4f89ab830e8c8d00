#include "hub/ui/domain_view.h"

#include "hub/api/json_model.h"
#include "hub/service/domain_state.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"

namespace certfleet::hub::ui {
namespace {

using store::DomainStatus;

std::string Fact(std::string_view label, std::string_view html) {
  return "<dt>" + Escape(label) + "</dt><dd>" + std::string(html) + "</dd>";
}

std::string JoinEscaped(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + Escape(s);
  return out.empty() ? "—" : out;
}

// Work is under way or due now: the page keeps refreshing until it settles.
bool InProgress(const store::Domain& d, TimePoint now) {
  if (d.issuer == store::kManualIssuer) return false;
  if (d.status == DomainStatus::kIssuing || d.status == DomainStatus::kRenewing) return true;
  return d.next_attempt_at && *d.next_attempt_at <= now + std::chrono::seconds(5);
}

std::string StateHtml(const service::DomainState& state) {
  std::string out = "<span id=\"domain-state\">" + StateBadgeHtml(state) + "</span>";
  if (state.problems.empty()) return out;
  out += "<ul class=\"problems\" id=\"domain-problems\">";
  for (const auto& p : state.problems) out += "<li>" + Escape(p) + "</li>";
  return out + "</ul>";
}

std::string StatusCard(const store::Domain& d, const service::DomainState& state,
                       api::NameCache& names, TimePoint now) {
  std::vector<std::string> machines;
  for (auto id : d.machine_ids) machines.push_back(names.Machine(id));
  std::string out = "<div class=\"card\"><dl class=\"facts\">";
  out += Fact("state", StateHtml(state));
  out += Fact("issuance", "<span id=\"domain-status\">" +
                              BadgeHtml(store::DomainStatusName(d.status)) + "</span>");
  if (!d.last_error.empty()) {
    out += Fact("last error",
                "<span class=\"error\" id=\"last-error\">" + Escape(d.last_error) + "</span>");
  }
  out += Fact("customer", d.customer_id ? Escape(names.Customer(*d.customer_id)) : "—");
  out += Fact("issuer", Escape(d.issuer));
  out += Fact("other names", JoinEscaped(d.sans));
  out += Fact("machines", JoinEscaped(machines));
  out += Fact("key type", Escape(d.key_type));
  if (!d.profile.empty()) out += Fact("profile", Escape(d.profile));
  out += Fact("next attempt", WhenHtml(now, d.next_attempt_at));
  out += Fact("renew at", WhenHtml(now, d.renew_at));
  return out + "</dl></div>";
}

std::string CertificateCard(const store::CertificateVersion& c, TimePoint now) {
  std::string out =
      "<h2>Current certificate</h2><div class=\"card\" id=\"current-certificate\"><dl "
      "class=\"facts\">";
  out += Fact("names", JoinEscaped(c.names));
  out += Fact("issuer", Escape(c.issuer_cn));
  out += Fact("valid from", Escape(TimeText(c.not_before)));
  out += Fact("valid until", ExpiryHtml(now, c.not_after) + " <span class=\"muted\">" +
                                 Escape(TimeText(c.not_after)) + "</span>");
  out += Fact("SHA-256", "<span class=\"mono\">" + Escape(c.sha256) + "</span>");
  out += Fact("serial", "<span class=\"mono\">" + Escape(c.serial) + "</span>");
  out += Fact("source", Escape(store::CertificateSourceName(c.source)));
  return out + "</dl></div>";
}

Result<std::string> Deployments(UiContext& ui, const store::Domain& d, api::NameCache& names,
                                TimePoint now) {
  auto rows = ui.api.store.ListDomainDeployments(d.id);
  if (!rows) return Fail(rows.error());
  std::string out = "<h2>Deployment</h2>";
  if (rows->empty()) return out + "<p class=\"muted\">Not deployed anywhere yet.</p>";
  out +=
      "<div class=\"table-wrap\"><table "
      "id=\"deployments\"><thead><tr><th>machine</th><th>state</th>"
      "<th>reported</th><th>error</th></tr></thead><tbody>";
  for (const auto& r : *rows) {
    const std::string machine = names.Machine(r.machine_id);
    out += "<tr><td>" + Link("/ui/machines/" + UrlComponent(machine), machine) + "</td><td>" +
           BadgeHtml(store::DeploymentStatusName(r.status)) + "</td><td>" +
           WhenHtml(now, r.reported_at) + "</td><td class=\"error\">" + Escape(r.error) +
           "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

Result<std::string> Orders(UiContext& ui, const store::Domain& d, TimePoint now) {
  auto orders = ui.api.store.ListOrders(d.id, 10);
  if (!orders) return Fail(orders.error());
  std::string out = "<h2>Order attempts</h2>";
  if (orders->empty()) return out + "<p class=\"muted\">No ACME order yet.</p>";
  out +=
      "<div class=\"table-wrap\"><table "
      "id=\"orders\"><thead><tr><th>#</th><th>state</th><th>started</th>"
      "<th>updated</th><th>CA's error</th></tr></thead><tbody>";
  for (const auto& o : *orders) {
    out += "<tr><td>" + std::to_string(o.attempt) + "</td><td>" +
           BadgeHtml(store::OrderStateName(o.state)) + "</td><td>" + WhenHtml(now, o.started_at) +
           "</td><td>" + WhenHtml(now, o.updated_at) + "</td><td class=\"error\">" +
           Escape(o.error) + "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

Result<std::string> History(UiContext& ui, const store::Domain& d, TimePoint now) {
  auto certs = ui.api.store.ListCertificates(d.id, 20);
  if (!certs) return Fail(certs.error());
  std::string out = "<h2>Certificate history</h2>";
  if (certs->empty()) return out + "<p class=\"muted\">No certificate yet.</p>";
  out +=
      "<div class=\"table-wrap\"><table id=\"history\"><thead><tr><th>valid "
      "until</th><th>issuer</th>"
      "<th class=\"optional\">serial</th><th>source</th><th "
      "class=\"optional\">stored</th></tr></thead><tbody>";
  for (const auto& c : *certs) {  // metadata only: chain_pem and encrypted_key are never shown
    const bool current = d.current_certificate_id == c.id;
    out += "<tr><td>" + ExpiryHtml(now, c.not_after) + (current ? " <b>(current)</b>" : "") +
           "</td><td>" + Escape(c.issuer_cn) + "</td><td class=\"mono optional\">" +
           Escape(c.serial) + "</td><td>" + Escape(store::CertificateSourceName(c.source)) +
           "</td><td class=\"optional\">" + WhenHtml(now, c.created_at) + "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

}  // namespace

Result<std::string> DomainDetailsHtml(UiContext& ui, const store::Domain& d,
                                      std::string_view notice) {
  const TimePoint now = ui.api.clock.Now();
  api::NameCache names(ui.api.store);
  const std::string self = "/ui/domains/" + UrlComponent(d.name) + "/details";
  std::string out = "<section id=\"domain-details\"";
  if (InProgress(d, now)) {
    out += " hx-get=\"" + Escape(self) + "\" hx-trigger=\"every 2s\" hx-swap=\"outerHTML\"";
  }
  out += ">";
  if (!notice.empty()) out += "<p class=\"notice\" role=\"status\">" + Escape(notice) + "</p>";
  auto state = service::LoadDomainState(ui.api.store, d, now);
  if (!state) return Fail(state.error());
  out += StatusCard(d, *state, names, now);
  if (d.current_certificate_id) {
    auto cert = ui.api.store.GetCertificate(*d.current_certificate_id);
    if (!cert) return Fail(cert.error());
    out += CertificateCard(*cert, now);
  }
  auto deployments = Deployments(ui, d, names, now);
  if (!deployments) return Fail(deployments.error());
  out += *deployments;
  if (d.issuer != store::kManualIssuer) {
    auto orders = Orders(ui, d, now);
    if (!orders) return Fail(orders.error());
    out += *orders;
  }
  auto history = History(ui, d, now);
  if (!history) return Fail(history.error());
  return out + *history + "</section>";
}

}  // namespace certfleet::hub::ui
