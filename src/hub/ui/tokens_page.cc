// Tokens, for admins: GET /ui/tokens (every token: role, machine, last use, revoked),
// GET/POST /ui/tokens/new (the secret is shown once, on the answer to the POST, never in a
// URL), revoking (asks first) and rotating a machine's agent token. Through the service
// layer (hub/service/tokens.h) like POST/DELETE /api/v1/tokens.
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/service/field_error.h"
#include "hub/service/tokens.h"
#include "hub/ui/form_view.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/picker.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

namespace label = service::label;

Status AdminOnly(const Viewer& viewer) {
  return Authorize(viewer.principal(), Action::kManageTokens);
}

std::string Row(const store::Token& t, api::NameCache& names, TimePoint now) {
  const std::string machine = t.machine_id ? names.Machine(*t.machine_id) : "";
  std::string out =
      "<tr id=\"token-" + std::to_string(t.id) + "\"><td class=\"optional\">" +
      std::to_string(t.id) + "</td><td>" + Escape(t.name) + "</td><td>" +
      Escape(store::RoleName(t.role)) + "</td><td>" +
      (machine.empty() ? "" : Link("/ui/machines/" + UrlComponent(machine), machine)) +
      "</td><td class=\"optional\">" + WhenHtml(now, t.created_at) + "</td><td>" +
      WhenHtml(now, t.last_used_at) + "</td><td>";
  if (t.revoked_at)
    return out + "<span class=\"muted\">revoked " + WhenHtml(now, t.revoked_at) +
           "</span></td></tr>";
  out += "<a class=\"button danger small\" href=\"/ui/tokens/" + std::to_string(t.id) +
         "/revoke\">Revoke…</a>";
  if (t.role == store::Role::kAgent && !machine.empty()) {
    out += " <a class=\"button secondary small\" href=\"" +
           Escape(UrlWithQuery("/ui/tokens/rotate", {{"machine", machine}})) + "\">Rotate…</a>";
  }
  return out + "</td></tr>";
}

Result<http::Response> TokensPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (auto s = AdminOnly(viewer); !s) return Fail(s.error());
  auto tokens = ui.api.store.ListTokens();
  if (!tokens) return Fail(tokens.error());
  api::NameCache names(ui.api.store);
  const TimePoint now = ui.api.clock.Now();
  std::string body = "<h1>Tokens</h1>";
  if (auto revoked = req.QueryParam("revoked")) {
    body += NoticeHtml("Revoked token " + std::string(*revoked) + ".");
  }
  body +=
      "<div class=\"actions\"><a class=\"button\" id=\"new-token\" href=\"/ui/tokens/new\">"
      "New token</a></div><div class=\"table-wrap\"><table id=\"tokens\"><thead><tr><th "
      "class=\"optional\">id</th>"
      "<th>name</th><th>role</th><th>machine</th><th class=\"optional\">created</th><th>last "
      "used</th><th></th>"
      "</tr></thead><tbody>";
  for (auto it = tokens->rbegin(); it != tokens->rend(); ++it) body += Row(*it, names, now);
  body +=
      "</tbody></table></div><p class=\"hint\">Secrets are shown once, when a token is "
      "created; the hub keeps only their hashes.</p>";
  return HtmlResponse(Page(&viewer, "Tokens", "tokens", body));
}

struct Values {
  std::string name, role, machine;
};

Result<http::Response> Form(UiContext& ui, const Viewer& viewer, const Values& v,
                            const FieldErrors& errors) {
  auto machines =
      MachineSelectHtml(ui, "machine", "machine", v.machine, "(none: not an agent token)");
  if (!machines) return Fail(machines.error());
  std::string roles = "<select id=\"role\" name=\"role\">";
  for (auto r : {"support", "readonly", "admin", "agent", "metrics"})
    roles += OptionHtml(r, r, v.role);
  roles += "</select>";
  std::string body =
      "<p><a href=\"/ui/tokens\">‹ Tokens</a></p><h1>New token</h1><form class=\"card\" "
      "id=\"token-form\" method=\"post\" action=\"/ui/tokens/new\" novalidate>" +
      CsrfField(viewer.session) + ErrorHtml(errors, "") +
      TextField(errors, "name", "Name", v.name, "Who or what uses it, e.g. \"alice laptop\".",
                "autocomplete=\"off\"") +
      "<label for=\"role\">Role</label>" + roles +
      "<p class=\"hint\">readonly: sees everything but keys; support: changes customers, machines "
      "and domains; admin: support + tokens; agent: one machine's certificates; metrics: "
      "GET /metrics only (Prometheus).</p>" +
      ErrorHtml(errors, "role") + "<label for=\"machine\">Machine (agent tokens only)</label>" +
      *machines + ErrorHtml(errors, "machine") +
      "<div class=\"actions\"><button type=\"submit\" id=\"create-token\">Create token</button>"
      "</div></form>";
  return HtmlResponse(Page(&viewer, "New token", "tokens", body), errors.empty() ? 200 : 422);
}

Result<http::Response> NewForm(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (auto s = AdminOnly(viewer); !s) return Fail(s.error());
  Values v{"", std::string(req.QueryParam("role").value_or("support")),
           std::string(req.QueryParam("machine").value_or(""))};
  if (!v.machine.empty()) v.name = v.machine + " agent";
  return Form(ui, viewer, v, {});
}

http::Response SecretPage(const Viewer& viewer, const IssuedToken& issued,
                          const std::string& machine, std::string_view note) {
  std::string body = "<p><a href=\"/ui/tokens\">‹ Tokens</a></p><h1>Token " +
                     Escape(issued.token.name) + " created</h1>" + NoticeHtml(note) +
                     "<div class=\"card\"><p>Copy the secret now: it is shown only this once.</p>"
                     "<p class=\"secret\" id=\"token-secret\">" +
                     Escape(issued.secret) + "</p>";
  if (issued.token.role == store::Role::kAgent) {
    body += "<p>On " + Escape(machine) +
            ", write it to the agent's token file (mode 0600), e.g. <span class=\"mono\">"
            "/etc/certfleet/agent.token</span>, named by <span class=\"mono\">token_file</span> in "
            "the agent's config, and restart the agent.</p>";
  }
  return HtmlResponse(Page(&viewer, "Token created", "tokens", body + "</div>"));
}

Result<http::Response> Create(UiContext& ui, const http::Request&, const Viewer& viewer,
                              const FormValues& form) {
  Values v{form.Get("name"), form.Get("role"), form.Get("machine")};
  auto s = api::Services(ui.api);
  auto issued = service::CreateToken(s, viewer.principal().ToActor(), {v.name, v.role, v.machine});
  if (!issued) {
    FieldErrors errors;
    FileError(errors, issued.error(),
              {{label::kName, "name"}, {label::kRole, "role"}, {label::kMachine, "machine"}},
              "name");
    return Form(ui, viewer, v, errors);
  }
  return SecretPage(viewer, *issued, v.machine, "");
}

Result<http::Response> AskRevoke(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (auto s = AdminOnly(viewer); !s) return Fail(s.error());
  auto id = api::ParseId(req.PathParam("id"), "token id");
  if (!id) return Fail(id.error());
  auto tokens = ui.api.store.ListTokens();
  if (!tokens) return Fail(tokens.error());
  auto it =
      std::find_if(tokens->begin(), tokens->end(), [&](const auto& t) { return t.id == *id; });
  if (it == tokens->end())
    return Fail(ErrorCode::kNotFound, "token " + std::to_string(*id) + " not found");
  const std::string self = it->id == viewer.principal().token_id
                               ? "<li><b>This is the token you are signed in with</b>: you will be "
                                 "signed out.</li>"
                               : "";
  return ConfirmPage(viewer, "tokens", "Revoke token " + it->name + "?",
                     "<ul><li>Whoever uses it (" + Escape(store::RoleName(it->role)) +
                         ") is refused from the next request on.</li>" + self +
                         "<li>This cannot be undone: create a new token instead.</li></ul>",
                     "/ui/tokens/" + std::to_string(*id) + "/revoke", "Revoke " + it->name,
                     "/ui/tokens");
}

Result<http::Response> Revoke(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  if (form.Get("confirm") != "yes") return AskRevoke(ui, req, viewer);
  auto id = api::ParseId(req.PathParam("id"), "token id");
  if (!id) return Fail(id.error());
  auto s = api::Services(ui.api);
  if (auto st = service::RevokeToken(s, viewer.principal().ToActor(), *id); !st)
    return Fail(st.error());
  return Redirect("/ui/tokens?revoked=" + std::to_string(*id));
}

Result<http::Response> AskRotate(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (auto s = AdminOnly(viewer); !s) return Fail(s.error());
  auto m = api::FindMachine(ui.api, req.QueryParam("machine").value_or(""));
  if (!m) return Fail(m.error());
  return ConfirmPage(
      viewer, "tokens", "Rotate the agent token of " + m->name + "?",
      "<p>A new agent token for " + Escape(m->name) +
          " is created and shown once; its other agent tokens are revoked at once, so the agent "
          "stops reaching the hub until it has the new secret.</p>",
      UrlWithQuery("/ui/tokens/rotate", {{"machine", m->name}}), "Rotate now", "/ui/tokens");
}

Result<http::Response> Rotate(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  if (form.Get("confirm") != "yes") return AskRotate(ui, req, viewer);
  const std::string machine(req.QueryParam("machine").value_or(""));
  auto s = api::Services(ui.api);
  auto rotated = service::RotateAgentToken(s, viewer.principal().ToActor(), machine,
                                           machine + " agent", /*revoke_old=*/true);
  if (!rotated) return Fail(rotated.error());
  return SecretPage(
      viewer, rotated->issued, machine,
      "Revoked " + std::to_string(rotated->revoked.size()) + " older agent token(s).");
}

}  // namespace

void AddTokenRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/tokens", TokensPage);
  AddPage(router, ui, "/ui/tokens/new", NewForm);
  AddAction(router, ui, "/ui/tokens/new", Create, Action::kManageTokens);
  AddPage(router, ui, "/ui/tokens/rotate", AskRotate);
  AddAction(router, ui, "/ui/tokens/rotate", Rotate, Action::kManageTokens);
  AddPage(router, ui, "/ui/tokens/{id}/revoke", AskRevoke);
  AddAction(router, ui, "/ui/tokens/{id}/revoke", Revoke, Action::kManageTokens);
}

}  // namespace certfleet::hub::ui
