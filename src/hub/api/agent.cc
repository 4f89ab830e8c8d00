// The agent endpoints. Every call is scoped to the machine the agent token is bound to:
//   GET  /api/v1/agent/desired              the machine's desired state (+ heartbeat)
//   GET  /api/v1/agent/certificates/{id}    chain + private key, only for a certificate
//                                           whose domain the machine hosts (else 403)
//   POST /api/v1/agent/deployments          a deployment report for such a certificate
#include <algorithm>

#include "common/utf8.h"
#include "crypto/sealed_key.h"
#include "hub/api/agent_json.h"
#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

// A deployment report's error text is kept up to this many bytes (cut between characters).
constexpr std::size_t kMaxReportedError = 4096;

Result<store::Id> MachineOf(const Principal& p) {
  if (!p.machine_id) {
    return Fail(ErrorCode::kPermissionDenied,
                "token " + std::to_string(p.token_id) + " is not bound to a machine");
  }
  return *p.machine_id;
}

// JSON text already (agent_json.h) as the response; never for a cache (it may hold a key).
http::Response JsonTextResponse(std::string text, int status = 200) {
  http::Response response;
  response.status = status;
  response.headers.Set("Content-Type", "application/json");
  response.body = std::move(text);
  response.headers.Set("Cache-Control", "no-store");
  return response;
}

// The agent's self-reported version, as shown to people and put into notices: printable
// ASCII only (HTTP allows any byte ≥ 0x80 in a header value), at most 64 bytes; every
// other byte becomes '?'.
std::string AgentVersion(std::string_view header) {
  std::string version(header.substr(0, 64));
  for (char& c : version) {
    if (c < ' ' || c > '~') c = '?';
  }
  return version;
}

Result<http::Response> Desired(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto machine = MachineOf(p);
  if (!machine) return Fail(machine.error());
  const auto version = AgentVersion(req.headers.Get("X-Certfleet-Agent-Version").value_or(""));
  const TimePoint now = ctx.clock.Now();
  // Best effort (the heartbeat is informational); a failed write is tried on the next call.
  if (ctx.heartbeats.Due(*machine, now, version) &&
      !ctx.store.RecordAgentSeen(*machine, now, version)) {
    ctx.heartbeats.Forget(*machine);
  }
  auto state = ctx.store.GetDesiredState(*machine);
  if (!state) return Fail(state.error());
  return JsonTextResponse(DesiredText(*state));
}

// The certificate and its domain's name, if the caller's machine hosts that domain. One
// hosting row is read, not the domain's list of machines (issue 16: a domain on 10,000
// machines made every agent's pass read all 10,000).
Result<std::pair<store::CertificateVersion, std::string>> HostedCertificate(
    ApiContext& ctx, const Principal& p, store::Id certificate_id) {
  auto machine = MachineOf(p);
  if (!machine) return Fail(machine.error());
  auto cert = ctx.store.GetCertificate(certificate_id);
  if (!cert) return Fail(cert.error());
  auto domain = ctx.store.HostedDomainName(*machine, cert->domain_id);
  if (!domain && domain.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kPermissionDenied, "certificate " + std::to_string(certificate_id) +
                                                  " belongs to a domain that "
                                                  "this token's machine does not host");
  }
  if (!domain) return Fail(domain.error());
  return std::pair{std::move(*cert), std::move(*domain)};
}

Result<http::Response> Certificate(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto id = ParseId(req.PathParam("id"), "certificate id");
  if (!id) return Fail(id.error());
  auto hosted = HostedCertificate(ctx, p, *id);
  if (!hosted) return Fail(hosted.error());
  const auto& [cert, domain] = *hosted;
  auto key = crypto::OpenCertificateKey(ctx.envelope, cert.encrypted_key, domain, cert.sha256);
  if (!key) {
    return Fail(key.error().WithContext("opening the private key of certificate " +
                                        std::to_string(cert.id) + " (" + domain + ")"));
  }
  // The response body is a copy the Secret cannot wipe.
  return JsonTextResponse(AgentCertificateText(cert, domain, key->str()));
}

// The report as the agent sent it. That its machine hosts the certificate's domain is
// checked in the write (DeploymentReport::hosted_only), not by two reads here.
Result<store::Deployment> ReadReport(ApiContext& ctx, const http::Request& req,
                                     const Principal& p) {
  auto body = JsonBody::Parse(req, {"certificate_id", "status", "sha256", "error"});
  if (!body) return Fail(body.error());
  auto certificate_id = body->Int("certificate_id");
  auto status_name = body->RequiredString("status");
  auto sha256 = body->String("sha256");
  auto error = body->String("error");
  if (auto s = FirstError(certificate_id, status_name, sha256, error); !s) return Fail(s.error());
  if (!*certificate_id) {
    return Fail(ErrorCode::kInvalidArgument, "field 'certificate_id' is required");
  }
  auto status = store::ParseDeploymentStatus(*status_name);
  if (!status) return Fail(status.error().WithContext("field 'status'"));
  auto machine = MachineOf(p);
  if (!machine) return Fail(machine.error());
  store::Deployment d;
  d.machine_id = *machine;
  d.certificate_id = **certificate_id;
  d.status = *status;
  d.sha256 = sha256->value_or("");
  d.error = TruncateUtf8(error->value_or(""), kMaxReportedError);
  d.reported_at = ctx.clock.Now();
  return d;
}

http::Response ReportResponse(const Result<store::StoredReport>& stored) {
  if (!stored) return ErrorResponse(stored.error());
  return JsonTextResponse(StoredReportText(*stored), 201);
}

// Checked on the io thread; written with the reports that arrive meanwhile (one commit
// for all: hub/api/report_batcher.h); answered once stored.
void Report(ApiContext& ctx, const http::Request& req, const Principal& p,
            http::Responder responder) {
  auto d = ReadReport(ctx, req, p);
  if (!d) {
    responder.Send(ErrorResponse(d.error()));
    return;
  }
  ctx.reports->Submit(
      {p.ToActor(), std::move(*d), /*hosted_only=*/true},
      [responder](Result<store::StoredReport> stored) { responder.Send(ReportResponse(stored)); });
}

}  // namespace

void AddAgentRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/agent/desired", Action::kAgent, Desired);
  AddRoute(router, ctx, "GET", "/api/v1/agent/certificates/{id}", Action::kAgent, Certificate);
  router.AddAsync(
      "POST", "/api/v1/agent/deployments",
      GuardAsync(ctx, Action::kAgent,
                 [&ctx](const http::Request& req, const Principal& p, http::Responder responder) {
                   Report(ctx, req, p, std::move(responder));
                 }));
}

}  // namespace certfleet::hub::api
