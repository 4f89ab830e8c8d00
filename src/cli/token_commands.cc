#include "cli/token_commands.h"

#include <algorithm>
#include <ostream>

#include "cli/json_text.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

Table TokenTable(const json& items) {
  Table t{{{"ID"},
           {"NAME", false, true},
           {"ROLE"},
           {"MACHINE"},
           {"CREATED"},
           {"LAST USED"},
           {"REVOKED"}},
          {},
          {},
          -1};
  for (const auto& k : items) {
    t.rows.push_back({Text(k, "id"), Text(k, "name"), Text(k, "role"), Text(k, "machine"),
                      DateOf(k, "created_at"), DateOf(k, "last_used_at"), DateOf(k, "revoked_at")});
  }
  return t;
}

void PrintSecret(CliContext& ctx, const json& created) {
  if (ctx.json()) {
    ctx.out << created.dump(2) << "\n";
    return;
  }
  ctx.out << Text(created, "secret") << "\n";
  // Scripts capture the secret alone (often with stderr mixed in): the note is for people.
  if (!ctx.err_is_terminal) return;
  ctx.err << "token " << Text(created, "id") << " (" << Text(created, "name") << ", role "
          << Text(created, "role")
          << (Text(created, "machine").empty() ? "" : ", machine " + Text(created, "machine"))
          << ") created; the secret above is shown only once\n";
}

bool IsId(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), ::isdigit);
}

}  // namespace

Status RunTokenCreate(CliContext& ctx, const TokenCreateOptions& o) {
  std::string name = o.name;
  if (name.empty()) name = o.role == "agent" && !o.machine.empty() ? o.machine + " agent" : o.role;
  json body = {{"role", o.role}, {"name", name}};
  if (!o.machine.empty()) body["machine"] = o.machine;
  auto created = ctx.hub.Post("/api/v1/tokens", body);
  if (!created) return Fail(created.error());
  PrintSecret(ctx, *created);
  return Ok();
}

Status RunTokenList(CliContext& ctx, const TokenListOptions& o) {
  auto tokens = ctx.hub.Get("/api/v1/tokens");
  if (!tokens) return Fail(tokens.error());
  json items = json::array();
  for (const auto& t : Items(*tokens)) {
    if (!o.machine.empty() && Text(t, "machine") != o.machine) continue;
    if (!o.role.empty() && Text(t, "role") != o.role) continue;
    if (!o.all && !Text(t, "revoked_at").empty()) continue;
    items.push_back(t);
  }
  Print(ctx.out, ctx.format, TokenTable(items), json{{"items", items}}, ctx.terminal);
  return Ok();
}

Status RunTokenRevoke(CliContext& ctx, const std::string& id_or_name) {
  std::vector<std::string> ids;
  if (IsId(id_or_name)) {
    ids.push_back(id_or_name);
  } else {
    auto tokens = ctx.hub.Get("/api/v1/tokens");
    if (!tokens) return Fail(tokens.error());
    for (const auto& t : Items(*tokens)) {
      if (Text(t, "name") == id_or_name && Text(t, "revoked_at").empty())
        ids.push_back(Text(t, "id"));
    }
    if (ids.empty()) {
      return Fail(ErrorCode::kNotFound, "no live token is named \"" + id_or_name +
                                            "\" (certfleet token list shows them)");
    }
    if (ids.size() > 1) {
      if (auto s = ConfirmOrRefuse(ctx, "revoke " + std::to_string(ids.size()) +
                                            " tokens named \"" + id_or_name + "\"?");
          !s) {
        return s;
      }
    }
  }
  for (const auto& id : ids) {
    if (auto r = ctx.hub.Delete("/api/v1/tokens/" + id); !r) return Fail(r.error());
    if (!ctx.json()) ctx.out << "token " << id << " revoked\n";
  }
  if (ctx.json()) ctx.out << json{{"revoked", ids}}.dump(2) << "\n";
  return Ok();
}

Status RunTokenRotate(CliContext& ctx, const std::string& machine, bool revoke_old) {
  auto rotated =
      ctx.hub.Post("/api/v1/tokens/rotate", {{"machine", machine}, {"revoke_old", revoke_old}});
  if (!rotated) return Fail(rotated.error());
  PrintSecret(ctx, *rotated);
  if (ctx.json()) return Ok();
  const json& old = Field(*rotated, "previous");
  if (revoke_old) {
    ctx.err << "revoked the older agent token(s): " << (old.empty() ? "none" : Joined(old)) << "\n";
  } else if (!old.empty()) {
    ctx.err << "the older agent token(s) " << Joined(old)
            << " still work; once the agent uses the new secret: certfleet token revoke ID\n";
  }
  return Ok();
}

}  // namespace certfleet::cli
