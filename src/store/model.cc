#include "store/model.h"

#include <array>
#include <utility>

namespace certfleet::store {
namespace {

// Maps enum ↔ stable lower-case names (stored in the database and used in JSON).
template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
Result<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view what,
                std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  std::string allowed;
  for (const auto& entry : table) {
    if (!allowed.empty()) allowed += ", ";
    allowed += entry.second;
  }
  return Fail(ErrorCode::kInvalidArgument, "unknown " + std::string(what) + " '" +
                                               std::string(name) +
                                               "' (expected one of: " + allowed + ")");
}

constexpr std::array<std::pair<DomainStatus, std::string_view>, 5> kDomainStatuses{{
    {DomainStatus::kPending, "pending"},
    {DomainStatus::kIssuing, "issuing"},
    {DomainStatus::kValid, "valid"},
    {DomainStatus::kRenewing, "renewing"},
    {DomainStatus::kFailed, "failed"},
}};
constexpr std::array<std::pair<CertificateSource, std::string_view>, 2> kSources{{
    {CertificateSource::kAcme, "acme"},
    {CertificateSource::kManual, "manual"},
}};
constexpr std::array<std::pair<OrderState, std::string_view>, 8> kOrderStates{{
    {OrderState::kNew, "new"},
    {OrderState::kPending, "pending"},
    {OrderState::kReady, "ready"},
    {OrderState::kProcessing, "processing"},
    {OrderState::kValid, "valid"},
    {OrderState::kCompleted, "completed"},
    {OrderState::kFailed, "failed"},
    {OrderState::kAbandoned, "abandoned"},
}};
constexpr std::array<std::pair<DeploymentStatus, std::string_view>, 3> kDeploymentStatuses{{
    {DeploymentStatus::kPending, "pending"},
    {DeploymentStatus::kDeployed, "deployed"},
    {DeploymentStatus::kFailed, "failed"},
}};
constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kSupport, "support"},
    {Role::kReadonly, "readonly"},
    {Role::kAgent, "agent"},
    {Role::kMetrics, "metrics"},
}};

}  // namespace

std::string_view DomainStatusName(DomainStatus s) { return NameOf(kDomainStatuses, s); }
Result<DomainStatus> ParseDomainStatus(std::string_view name) {
  return Parse(kDomainStatuses, "domain status", name);
}

std::string_view CertificateSourceName(CertificateSource s) { return NameOf(kSources, s); }
Result<CertificateSource> ParseCertificateSource(std::string_view name) {
  return Parse(kSources, "certificate source", name);
}

std::string_view OrderStateName(OrderState s) { return NameOf(kOrderStates, s); }
Result<OrderState> ParseOrderState(std::string_view name) {
  return Parse(kOrderStates, "order state", name);
}
bool IsTerminal(OrderState s) {
  return s == OrderState::kCompleted || s == OrderState::kFailed || s == OrderState::kAbandoned;
}

std::string_view DeploymentStatusName(DeploymentStatus s) { return NameOf(kDeploymentStatuses, s); }
Result<DeploymentStatus> ParseDeploymentStatus(std::string_view name) {
  return Parse(kDeploymentStatuses, "deployment status", name);
}

std::string_view RoleName(Role r) { return NameOf(kRoles, r); }
Result<Role> ParseRole(std::string_view name) { return Parse(kRoles, "role", name); }

}  // namespace certfleet::store
