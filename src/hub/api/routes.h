// The hub's HTTP routes: the REST API under /api/v1, /healthz and the HTTP-01 responder.
//
// Each resource registers its routes from its own file (customers.cc, machines.cc, ...).
// Handlers are thread-safe (they share only the thread-safe ApiContext members).
#pragma once

#include "http/router.h"
#include "hub/api/context.h"

namespace certfleet::hub::api {

// Registers everything below on `router`; `ctx` must outlive the server.
void AddApiRoutes(http::Router& router, ApiContext& ctx);

void AddCustomerRoutes(http::Router& router, ApiContext& ctx);
void AddMachineRoutes(http::Router& router, ApiContext& ctx);
void AddDomainRoutes(http::Router& router, ApiContext& ctx);
// GET /api/v1/domains (search, filter, paging) and GET /api/v1/domains/{name}.
void AddDomainReadRoutes(http::Router& router, ApiContext& ctx);
void AddCertificateRoutes(http::Router& router, ApiContext& ctx);
void AddDeploymentRoutes(http::Router& router, ApiContext& ctx);
void AddEventRoutes(http::Router& router, ApiContext& ctx);
void AddTokenRoutes(http::Router& router, ApiContext& ctx);
void AddAgentRoutes(http::Router& router, ApiContext& ctx);
void AddAuditRoutes(http::Router& router, ApiContext& ctx);
// GET /api/v1/status: the fleet's counts and what needs attention.
void AddStatusRoutes(http::Router& router, ApiContext& ctx);
// POST /api/v1/machines/{name}/redeploy and POST /api/v1/redeploy (redeploy.cc).
void AddRedeployRoutes(http::Router& router, ApiContext& ctx);
// Discovery, adoption, imports and external HTTP-01 challenges (issue 19): discovery_routes.cc.
void AddDiscoveryRoutes(http::Router& router, ApiContext& ctx);
void AddDiscoveryAgentRoutes(http::Router& router, ApiContext& ctx);
// GET/PATCH /api/v1/domains/{name}/dns01, POST .../dns01/check (dns01.cc, issue 15).
void AddDns01Routes(http::Router& router, ApiContext& ctx);
// GET /healthz and GET /.well-known/acme-challenge/{token} (no auth).
void AddPublicRoutes(http::Router& router, ApiContext& ctx);
// GET /.well-known/acme-challenge/{token} alone: all the hub's challenge listener
// (HubConfig::challenge_listen) serves, so customer hosts never reach the API.
void AddChallengeRoutes(http::Router& router, ApiContext& ctx);

}  // namespace certfleet::hub::api
