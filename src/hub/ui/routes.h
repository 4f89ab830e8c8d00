// The web UI's routes (server-rendered HTML + htmx), all under /ui plus a redirect from "/".
//
//   GET  /ui/assets/{file}                  embedded htmx and stylesheet (no auth)
//   GET  /ui/login  POST /ui/login  POST /ui/logout
//   GET  /ui/                               dashboard
//   GET  /ui/domains                        search / filter / pages (htmx: the table only)
//   GET  /ui/domains/new   POST …/new       add a domain
//   GET  /ui/domains/{name}                 the domain page; …/details is its htmx refresh
//   GET  …/{name}/edit     POST …/edit      edit a domain
//   POST …/{name}/issue                     "Issue / renew now"
//   GET  …/{name}/upload   POST …/upload    manual certificate upload
//   GET  /ui/domains.csv                    the current filter as CSV
//   POST /ui/domains/bulk                   re-issue or move selected domains (asks first)
//   GET  …/{name}/delete   POST …/delete    delete a domain (asks first)
//   GET  /ui/customers[/{name}]  /ui/customers/new  …/{name}/edit  …/{name}/delete
//   GET  /ui/machines[/{name}]   /ui/machines/new   …/{name}/edit  …/{name}/delete
//   GET  /ui/tokens  /ui/tokens/new  /ui/tokens/rotate  /ui/tokens/{id}/revoke (admin)
//   GET  /ui/audit                          who changed what, filtered
//   POST /ui/machines/{name}/redeploy  POST /ui/domains/{name}/redeploy  (redeploy_action.h)
//   POST …/{name}/dns01/check  POST …/{name}/dns01/challenge  (domain_dns01.cc)
//
// Each page file registers its own routes. Handlers are thread-safe.
#pragma once

#include "http/router.h"
#include "hub/api/context.h"
#include "hub/ui/ui_context.h"

namespace certfleet::hub::ui {

// Registers everything above on `router`. `ctx` must outlive the router; the UI's own
// state (sessions) is owned by the registered handlers.
void AddUiRoutes(http::Router& router, api::ApiContext& ctx, SessionOptions options = {});

void AddSignInRoutes(http::Router& router, const UiPtr& ui);  // login, logout, assets, "/"
void AddDashboardRoutes(http::Router& router, const UiPtr& ui);
void AddDomainListRoutes(http::Router& router, const UiPtr& ui);
void AddDomainPageRoutes(http::Router& router, const UiPtr& ui);
void AddDomainFormRoutes(http::Router& router, const UiPtr& ui);
void AddUploadRoutes(http::Router& router, const UiPtr& ui);
void AddCustomerRoutes(http::Router& router, const UiPtr& ui);
void AddMachineRoutes(http::Router& router, const UiPtr& ui);
void AddDomainCsvRoutes(http::Router& router, const UiPtr& ui);
void AddDomainBulkRoutes(http::Router& router, const UiPtr& ui);
void AddCustomerFormRoutes(http::Router& router, const UiPtr& ui);
void AddMachineFormRoutes(http::Router& router, const UiPtr& ui);
void AddTokenRoutes(http::Router& router, const UiPtr& ui);
void AddAuditRoutes(http::Router& router, const UiPtr& ui);
void AddRedeployRoutes(http::Router& router, const UiPtr& ui);  // redeploy_action.h
// /ui/discovered: discovery and adoption (issue 19), discovered_page.cc.
void AddDiscoveredRoutes(http::Router& router, const UiPtr& ui);
// The domain page's DNS-01 section and its actions (domain_dns01.cc, issue 15).
void AddDomainDns01Routes(http::Router& router, const UiPtr& ui);
std::string DomainDns01Html(UiContext& ui, const Viewer& viewer, const store::Domain& d);

}  // namespace certfleet::hub::ui
