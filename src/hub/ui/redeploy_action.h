// The web UI's redeploy buttons (issue 16, newcomer review N3): on a machine's page,
// "Redeploy certificates" (every certificate of that machine); on a domain's page,
// "Redeploy everywhere" (that domain on every machine hosting it). Both call
// service::RequestRedeploy: the agents deploy the certificates the hub already has, so no
// certificate is ordered (unlike "Issue / renew now").
//
//   POST /ui/machines/{name}/redeploy   POST /ui/domains/{name}/redeploy
//
// htmx requests get the notice that replaces #redeploy-result; plain posts are redirected
// back to the page. Support and admin only (the buttons are not shown to readonly).
#pragma once

#include <string>

#include "hub/ui/ui_context.h"

namespace certfleet::hub::ui {

// The button (a form with the CSRF field) and its result slot; "" for readonly viewers.
std::string MachineRedeployButton(const Viewer& viewer, const std::string& machine);
std::string DomainRedeployButton(const Viewer& viewer, const std::string& domain);

}  // namespace certfleet::hub::ui
