#include "agent/hub_failure.h"

#include <string_view>

namespace certfleet::agent {
namespace {

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

HubFailure ClassifyHubFailure(const Error& error) {
  if (error.code == ErrorCode::kUnauthenticated) return HubFailure::kTokenRefused;
  if (error.code == ErrorCode::kPermissionDenied) return HubFailure::kForbidden;
  if (error.code == ErrorCode::kIo || error.code == ErrorCode::kCorrupt) return HubFailure::kLocal;
  const std::string& m = error.message;
  // The transport's own words (net::BeastTransport): "resolving HOST: <resolver error>",
  // "TLS handshake with HOST: certificate verify failed (…) (<X509 verify error>)".
  if (Contains(m, "resolving ") || Contains(m, "Could not resolve host")) return HubFailure::kDns;
  if (Contains(m, "certificate verify failed") || Contains(m, "SSL certificate problem"))
    return HubFailure::kTlsTrust;
  return HubFailure::kUnreachable;
}

bool NeedsOperator(HubFailure failure) { return failure != HubFailure::kUnreachable; }

std::string DescribeHubFailure(const Error& error) {
  switch (ClassifyHubFailure(error)) {
    case HubFailure::kTokenRefused:
      return "the hub refused this agent's token (put a new agent token into token_file, then "
             "restart the agent): " +
             error.message;
    case HubFailure::kForbidden:
      return "the hub does not allow this token to act as an agent (use a token created with "
             "role agent for this machine): " +
             error.message;
    case HubFailure::kDns:
      return "cannot resolve the hub's host name (check hub_url and this host's DNS): " +
             error.message;
    case HubFailure::kTlsTrust:
      return "the hub's TLS certificate is not trusted (set ca_file to the CA that signed it): " +
             error.message;
    case HubFailure::kLocal:
      return error.message;
    case HubFailure::kUnreachable:
      break;
  }
  return "hub unreachable, keeping the certificates on disk: " + error.message;
}

}  // namespace certfleet::agent
