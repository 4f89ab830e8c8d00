// JSON shapes of the discovery API (issue 19; documented in docs/api/README.md
// "Discovery and adoption"): name groups, inventory rows, upload requests, external
// challenges, adoption and import outcomes. Never key material.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "common/error.h"
#include "http/request.h"
#include "hub/discovery/import_service.h"
#include "hub/discovery/inventory_service.h"
#include "store/inventory_types.h"

namespace certfleet::hub::api {

nlohmann::json EntryJson(const store::InventoryEntry& e);
nlohmann::json NameGroupJson(const discovery::NameGroup& g, bool with_machines);
nlohmann::json UploadJson(const store::UploadRequest& r);
nlohmann::json ExternalChallengeJson(const store::ExternalChallenge& c);
nlohmann::json AdoptJson(const discovery::AdoptOutcome& a);
nlohmann::json ImportJson(const discovery::ImportOutcome& o);

// An optional boolean field of the request's JSON body (absent → false); kInvalidArgument
// when it is there with another type.
Result<bool> BodyBool(const http::Request& request, std::string_view field);

}  // namespace certfleet::hub::api
