#include "solver/dns01/dns01_config.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "dns/message.h"
#include "dns/responder/zone_answer.h"

namespace certfleet::solver {
namespace {

std::size_t Labels(const std::string& zone) {
  return zone.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(zone.begin(), zone.end(), '.'));
}

std::string Shown(const std::string& zone) { return zone.empty() ? "." : zone; }

Status ValidateDelegation(const DelegationConfig& d, const std::string& where) {
  dns::ZoneSettings settings{d.zone, d.nameservers, d.hostmaster};
  if (auto valid = dns::ValidateZoneSettings(settings); !valid)
    return Fail(valid.error().WithContext(where));
  if (auto listen = dns::ParseListenAddress(d.listen); !listen)
    return Fail(listen.error().WithContext(where + ".listen"));
  if (d.udp_threads < 1 || d.udp_threads > 64) {
    return Fail(ErrorCode::kInvalidArgument, where + ".udp_threads: must be between 1 and 64");
  }
  return Ok();
}

}  // namespace

const Dns01ZoneConfig* Dns01Config::ZoneFor(std::string_view name) const {
  const std::string canonical = dns::CanonicalName(name);
  const Dns01ZoneConfig* best = nullptr;
  for (const Dns01ZoneConfig& zone : zones) {
    if (!dns::IsAtOrBelow(canonical, zone.zone)) continue;
    if (best == nullptr || Labels(zone.zone) > Labels(best->zone)) best = &zone;
  }
  return best;
}

std::string Dns01SecretVariable(std::string_view zone) {
  std::string name = "CERTFLEET_HUB_DNS01_";
  for (char c : zone.empty() ? std::string_view("ROOT") : zone) {
    name += (c == '.' || c == '-') ? '_'
                                   : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name + "_SECRET";
}

Status LoadDns01Secrets(Dns01Config& config,
                        const std::function<std::optional<std::string>(std::string_view)>& env) {
  for (Dns01ZoneConfig& zone : config.zones) {
    if (zone.kind != Dns01SolverKind::kRfc2136) continue;
    const std::string where = "dns01 zone " + Shown(zone.zone);
    if (auto secret = env(Dns01SecretVariable(zone.zone))) {
      zone.rfc2136.key.secret = *secret;
    } else if (!zone.secret_file.empty()) {
      if (auto read = dns::ReadTsigSecretFile(zone.secret_file, &zone.rfc2136.key); !read)
        return Fail(read.error().WithContext(where));
    }
  }
  return Ok();
}

Status ValidateDns01Config(const Dns01Config& config, std::string_view source) {
  const std::string prefix = "config " + std::string(source) + ": dns01";
  if (config.delegation) {
    if (auto valid = ValidateDelegation(*config.delegation, prefix + ".delegation"); !valid)
      return valid;
  }
  std::set<std::string> seen;
  for (const Dns01ZoneConfig& zone : config.zones) {
    const std::string where = prefix + " zone " + Shown(zone.zone);
    if (!seen.insert(zone.zone).second)
      return Fail(ErrorCode::kInvalidArgument, where + ": configured twice");
    if (zone.kind == Dns01SolverKind::kDelegation && !config.delegation) {
      return Fail(ErrorCode::kInvalidArgument,
                  where +
                      ": solver \"delegation\" needs [dns01.delegation] (the hub's own DNS "
                      "responder and its zone)");
    }
    if (zone.kind != Dns01SolverKind::kRfc2136) continue;
    if (zone.rfc2136.key.secret.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + ": the TSIG secret is missing: set secret_file or " +
                      Dns01SecretVariable(zone.zone));
    }
    if (auto valid = ValidateRfc2136Settings(zone.rfc2136); !valid)
      return Fail(valid.error().WithContext(where));
  }
  return Ok();
}

}  // namespace certfleet::solver
