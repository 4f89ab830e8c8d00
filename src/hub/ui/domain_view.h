// The body of the domain page (status, current certificate, deployments, order attempts,
// history), also served alone as the htmx refresh while an order runs. Never shows key
// material: certificates are shown by their public metadata only.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "hub/ui/ui_context.h"
#include "store/model.h"

namespace certfleet::hub::ui {

// The <section id="domain-details"> for `d`. While work is pending (an order running or
// due), the section polls itself every 2 s and stops once the domain settles. `notice` is
// shown on top (e.g. "Issue requested"), escaped.
Result<std::string> DomainDetailsHtml(UiContext& ui, const store::Domain& d,
                                      std::string_view notice = "");

}  // namespace certfleet::hub::ui
