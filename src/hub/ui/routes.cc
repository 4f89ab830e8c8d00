#include "hub/ui/routes.h"

#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {

void AddUiRoutes(http::Router& router, api::ApiContext& ctx, SessionOptions options) {
  auto ui = std::make_shared<UiContext>(ctx, options);
  ctx.ui_signed_in = [ui](const http::Request& r) { return CurrentViewer(*ui, r).has_value(); };
  AddSignInRoutes(router, ui);
  AddDashboardRoutes(router, ui);
  AddDomainListRoutes(router, ui);
  AddDomainPageRoutes(router, ui);
  AddDomainDns01Routes(router, ui);
  AddDomainFormRoutes(router, ui);
  AddUploadRoutes(router, ui);
  AddCustomerRoutes(router, ui);
  AddMachineRoutes(router, ui);
  AddDomainCsvRoutes(router, ui);
  AddDomainBulkRoutes(router, ui);
  AddCustomerFormRoutes(router, ui);
  AddMachineFormRoutes(router, ui);
  AddTokenRoutes(router, ui);
  AddAuditRoutes(router, ui);
  AddRedeployRoutes(router, ui);
  AddDiscoveredRoutes(router, ui);
}

}  // namespace certfleet::hub::ui
