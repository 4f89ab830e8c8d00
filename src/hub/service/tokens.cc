#include "hub/service/tokens.h"

#include "hub/service/field_error.h"
#include "hub/service/lookup.h"
#include "hub/service/names.h"

namespace certfleet::hub::service {
namespace {

Result<std::optional<store::Id>> MachineOf(ServiceContext& s, store::Role role,
                                           const std::string& machine) {
  const bool agent = role == store::Role::kAgent;
  if (agent && machine.empty()) {
    return FieldError(label::kMachine,
                      "an agent token belongs to one machine: choose the machine it is for");
  }
  if (!agent && !machine.empty()) {
    return FieldError(label::kMachine,
                      "only agent tokens are bound to a machine; leave it empty for role " +
                          std::string(store::RoleName(role)));
  }
  if (machine.empty()) return std::optional<store::Id>();
  auto m = FindMachine(s.store, machine);
  if (!m) return Fail(AboutField(label::kMachine, m.error()));
  return std::optional<store::Id>(m->id);
}

}  // namespace

Result<IssuedToken> CreateToken(ServiceContext& s, const store::Actor& actor,
                                const TokenInput& in) {
  if (auto st = CheckName(in.name, label::kName); !st) return Fail(st.error());
  auto role = store::ParseRole(in.role);
  if (!role) {
    return FieldError(label::kRole, "choose admin, support, readonly, agent or metrics (got \"" +
                                        in.role + "\")");
  }
  auto machine_id = MachineOf(s, *role, in.machine);
  if (!machine_id) return Fail(machine_id.error());
  return IssueToken(s.store, actor, in.name, *role, *machine_id);
}

Status RevokeToken(ServiceContext& s, const store::Actor& actor, store::Id id) {
  auto revoked = s.store.RevokeToken(actor, id, s.clock.Now());
  if (!revoked && revoked.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kNotFound, "token " + std::to_string(id) + " not found");
  }
  return revoked;
}

Result<RotatedToken> RotateAgentToken(ServiceContext& s, const store::Actor& actor,
                                      std::string_view machine, std::string name, bool revoke_old) {
  auto m = FindMachine(s.store, machine);
  if (!m) return Fail(AboutField(label::kMachine, m.error()));
  auto tokens = s.store.ListTokens();
  if (!tokens) return Fail(tokens.error());
  RotatedToken out;
  for (const auto& t : *tokens) {
    if (t.role == store::Role::kAgent && t.machine_id == m->id && !t.revoked_at) {
      out.old.push_back(t.id);
    }
  }
  auto issued = CreateToken(s, actor, {std::move(name), "agent", m->name});
  if (!issued) return Fail(issued.error());
  out.issued = std::move(*issued);
  if (!revoke_old) return out;
  for (auto id : out.old) {
    if (auto st = RevokeToken(s, actor, id); !st) return Fail(st.error());
    out.revoked.push_back(id);
  }
  return out;
}

}  // namespace certfleet::hub::service
