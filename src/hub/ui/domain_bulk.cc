// POST /ui/domains/bulk: the list's bulk actions for support and admin — re-issue the
// selected domains, or move them to another machine (from the machine the list is filtered
// by, if any). The first POST shows what will happen and asks; only the confirmed POST
// (confirm=yes) changes anything, one service call per domain, with the result per domain.
#include "hub/service/domains.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

constexpr std::size_t kMaxSelected = 1000;

struct BulkRequest {
  std::string action;  // issue | move
  std::vector<std::string> domains;
  std::string to, from;
};

Result<BulkRequest> Read(const FormValues& form) {
  BulkRequest b{form.Get("action"), form.GetAll("selected"), form.Get("to"), form.Get("from")};
  if (b.action != "issue" && b.action != "move") {
    return Fail(ErrorCode::kInvalidArgument, "choose Re-issue or Move");
  }
  if (b.domains.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no domain is selected: tick the domains in the list first");
  }
  if (b.domains.size() > kMaxSelected) {
    return Fail(ErrorCode::kInvalidArgument, "select at most 1000 domains at a time");
  }
  if (b.action == "move" && b.to.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "choose the machine to move the domains to");
  }
  return b;
}

std::string What(const BulkRequest& b) {
  const std::string n =
      std::to_string(b.domains.size()) + " domain" + (b.domains.size() == 1 ? "" : "s");
  if (b.action == "issue") return "Re-issue " + n + " now";
  return "Move " + n + " to " + b.to + (b.from.empty() ? "" : " (off " + b.from + ")");
}

std::string Hidden(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + Escape(name) + "\" value=\"" + Escape(value) + "\">";
}

http::Response Confirm(const Viewer& viewer, const BulkRequest& b) {
  std::string body = "<h1>" + Escape(What(b)) + "?</h1><div class=\"card\"><ul id=\"bulk-list\">";
  for (const auto& d : b.domains) body += "<li>" + Escape(d) + "</li>";
  body += "</ul><form method=\"post\" action=\"/ui/domains/bulk\">" + CsrfField(viewer.session) +
          Hidden("action", b.action) + Hidden("to", b.to) + Hidden("from", b.from) +
          Hidden("confirm", "yes");
  for (const auto& d : b.domains) body += Hidden("selected", d);
  body += "<div class=\"actions\"><button type=\"submit\" id=\"confirm\">Yes, " + Escape(What(b)) +
          "</button><a class=\"button secondary\" id=\"cancel\" "
          "href=\"/ui/domains\">Cancel</a></div></form></div>";
  return HtmlResponse(Page(&viewer, "Confirm", "domains", body));
}

Status Apply(service::ServiceContext& s, const store::Actor& actor, const BulkRequest& b,
             const std::string& domain) {
  if (b.action == "issue") return service::RequestIssuance(s, actor, domain).map([](auto&&) {});
  service::DomainInput in;
  in.add_machines = {b.to};
  if (!b.from.empty() && b.from != b.to) in.remove_machines = {b.from};
  return service::UpdateDomain(s, actor, domain, in).map([](auto&&) {});
}

Result<http::Response> Bulk(UiContext& ui, const http::Request&, const Viewer& viewer,
                            const FormValues& form) {
  auto b = Read(form);
  if (!b) return Fail(b.error());
  if (form.Get("confirm") != "yes") return Confirm(viewer, *b);
  auto s = api::Services(ui.api);
  const store::Actor actor = viewer.principal().ToActor();
  std::string rows;
  std::size_t failed = 0;
  for (const auto& d : b->domains) {
    auto result = Apply(s, actor, *b, d);
    if (!result) ++failed;
    rows += "<tr><td>" + Link("/ui/domains/" + UrlComponent(d), d) + "</td><td" +
            (result ? ">done" : " class=\"error\">" + Escape(result.error().message)) +
            "</td></tr>";
  }
  const std::string summary = What(*b) + ": " + std::to_string(b->domains.size() - failed) +
                              " done" + (failed ? ", " + std::to_string(failed) + " failed" : "");
  std::string body =
      "<h1>Bulk action</h1><p class=\"" + std::string(failed ? "flash" : "notice") +
      "\" id=\"bulk-summary\" role=\"status\">" + Escape(summary) +
      "</p><div class=\"table-wrap\"><table id=\"bulk-results\"><thead><tr><th>domain"
      "</th><th>result</th></tr></thead><tbody>" +
      rows + "</tbody></table></div><p><a href=\"/ui/domains\">‹ Domains</a></p>";
  return HtmlResponse(Page(&viewer, "Bulk action", "domains", body));
}

}  // namespace

void AddDomainBulkRoutes(http::Router& router, const UiPtr& ui) {
  AddAction(router, ui, "/ui/domains/bulk", Bulk);
}

}  // namespace certfleet::hub::ui
