#include "solver/dns01/rfc2136_solver.h"

#include "acme/challenge.h"
#include "dns/message.h"
#include "dns/resolv_conf.h"
#include "dns/txt_wait.h"

namespace certfleet::solver {
namespace {

std::string Shown(const acme::ChallengeTask& task) {
  return task.wildcard ? "*." + task.identifier : task.identifier;
}

}  // namespace

Status ValidateRfc2136Settings(const Rfc2136Settings& s) {
  const std::string what = "RFC 2136 zone \"" + s.zone + "\"";
  if (s.zone.empty()) return Fail(ErrorCode::kInvalidArgument, "an RFC 2136 zone needs a name");
  if (auto key = dns::ValidateTsigKey(s.key); !key) return Fail(key.error().WithContext(what));
  if (s.ttl == 0 || s.propagation_timeout.count() <= 0 || s.update_timeout.count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument, what + ": the TTL and the timeouts must be positive");
  }
  return Ok();
}

Rfc2136Solver::Rfc2136Solver(Rfc2136Settings settings, Clock& clock)
    : settings_(std::move(settings)), clock_(clock) {}

bool Rfc2136Solver::Covers(std::string_view identifier, bool /*wildcard*/) const {
  return dns::IsAtOrBelow(dns::CanonicalName(identifier), settings_.zone);
}

Result<std::vector<dns::ServerAddress>> Rfc2136Solver::CheckServers() const {
  if (!settings_.check_servers.empty()) return settings_.check_servers;
  auto resolver =
      settings_.resolver ? Result<dns::ServerAddress>(*settings_.resolver) : dns::SystemResolver();
  if (!resolver) return Fail(resolver.error());
  return dns::FindAuthoritativeServers(*resolver, settings_.zone);
}

dns::UpdateServer Rfc2136Solver::Target() const {
  return {settings_.server,
          settings_.zone,
          settings_.key,
          {.timeout = settings_.update_timeout, .tcp = true}};
}

Status Rfc2136Solver::Present(const acme::ChallengeTask& task) {
  if (task.type != Type()) {
    return Fail(ErrorCode::kInvalidArgument,
                Shown(task) + ": the RFC 2136 solver answers dns-01 only, not " + task.type);
  }
  const std::string name = acme::Dns01RecordName(task.identifier);
  const std::string value = acme::Dns01TxtValue(task.key_authorization);
  if (auto added = dns::AddTxtRecord(Target(), name, value, settings_.ttl); !added) return added;
  auto servers = CheckServers();
  if (!servers) return Fail(servers.error());
  const dns::TxtWait wait{.servers = *servers, .timeout = settings_.propagation_timeout};
  return dns::WaitForTxt(wait, name, value, clock_);
}

Status Rfc2136Solver::CleanUp(const acme::ChallengeTask& task) {
  return DeleteTxt(acme::Dns01RecordName(task.identifier),
                   acme::Dns01TxtValue(task.key_authorization));
}

Status Rfc2136Solver::DeleteTxt(std::string_view name, std::string_view value) const {
  return dns::DeleteTxtRecord(Target(), name, value);
}

}  // namespace certfleet::solver
