// `certfleet domain dns01 NAME [--check] [--challenge http-01|dns-01|default]`: a domain's
// DNS-01 over the hub API (issue 15) — which challenge answers each name, the CNAME the
// customer must create for delegated names, the delegation check, the challenge choice.
#include <ostream>

#include "cli/domain_commands.h"
#include "cli/json_text.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

std::string Dns01Path(const std::string& name) {
  return "/api/v1/domains/" + UrlEncode(name) + "/dns01";
}

void PrintView(CliContext& ctx, const json& v) {
  std::ostream& out = ctx.out;
  out << "domain:       " << Text(v, "domain") << " (issuer " << Text(v, "issuer") << ")\n"
      << "challenge:    " << Text(v, "challenge", "the issuer's order") << "\n";
  if (const auto error = Text(v, "plan_error"); !error.empty())
    out << "problem:      " << error << "\n";
  for (const auto& n : v.value("names", json::array())) {
    out << "  " << Text(n, "name") << ": " << Text(n, "challenge") << "\n";
  }
  const json& d = v.value("delegation", json());
  if (!d.is_object()) return;
  out << "delegation:   zone " << Text(d, "zone") << ", label " << Text(d, "label") << "\n"
      << "create once in the customer's DNS:\n";
  for (const auto& r : d.value("records", json::array())) {
    out << "  " << Text(r, "name") << ". CNAME " << Text(r, "target") << ".\n";
  }
  const json& check = d.value("last_check", json());
  if (!check.is_object()) {
    out << "last check:   never (certfleet domain dns01 " << Text(v, "domain") << " --check)\n";
    return;
  }
  out << "last check:   " << Text(check, "state") << " at " << Text(check, "checked_at") << "\n";
  if (const auto message = Text(check, "message"); !message.empty()) out << "  " << message << "\n";
}

Status PrintCheck(CliContext& ctx, const json& c) {
  for (const auto& f : c.value("findings", json::array())) {
    ctx.out << (Text(f, "state") == "ok" ? "ok       " : "PROBLEM  ") << Text(f, "message") << "\n";
  }
  if (c.value("issuance_requested", false))
    ctx.out << "the delegation is in place now: issuance was requested\n";
  if (!c.value("ok", false)) ctx.exit_code = 1;
  return Ok();
}

}  // namespace

Status RunDomainDns01(CliContext& ctx, const DomainDns01Options& o) {
  if (o.challenge) {
    const std::string choice = *o.challenge == "default" ? "" : *o.challenge;
    auto set = ctx.hub.Patch(Dns01Path(o.name), json{{"challenge", choice}});
    if (!set) return Fail(set.error());
    if (!o.check) {
      if (ctx.json()) {
        ctx.out << set->dump(2) << "\n";
      } else {
        PrintView(ctx, *set);
      }
      return Ok();
    }
  }
  if (o.check) {
    auto checked = ctx.hub.Post(Dns01Path(o.name) + "/check", json::object());
    if (!checked) return Fail(checked.error());
    if (ctx.json()) {
      ctx.out << checked->dump(2) << "\n";
      if (!checked->value("ok", false)) ctx.exit_code = 1;
      return Ok();
    }
    return PrintCheck(ctx, *checked);
  }
  auto view = ctx.hub.Get(Dns01Path(o.name));
  if (!view) return Fail(view.error());
  if (ctx.json()) {
    ctx.out << view->dump(2) << "\n";
  } else {
    PrintView(ctx, *view);
  }
  return Ok();
}

}  // namespace certfleet::cli
