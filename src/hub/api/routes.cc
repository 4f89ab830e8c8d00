#include "hub/api/routes.h"

namespace certfleet::hub::api {

void AddApiRoutes(http::Router& router, ApiContext& ctx) {
  AddPublicRoutes(router, ctx);
  AddCustomerRoutes(router, ctx);
  AddMachineRoutes(router, ctx);
  AddDomainRoutes(router, ctx);
  AddCertificateRoutes(router, ctx);
  AddDeploymentRoutes(router, ctx);
  AddEventRoutes(router, ctx);
  AddTokenRoutes(router, ctx);
  AddAgentRoutes(router, ctx);
  AddAuditRoutes(router, ctx);
  AddStatusRoutes(router, ctx);
  AddRedeployRoutes(router, ctx);
  AddDiscoveryRoutes(router, ctx);
  AddDns01Routes(router, ctx);
}

}  // namespace certfleet::hub::api
