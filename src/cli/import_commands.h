// `certfleet import certbot DIR` and `certfleet import pem DIR` (issue 19): what is already
// on a host becomes domains on the hub.
//
// Each certificate found (cli/import/certbot_tree.h) is sent to POST /api/v1/import, which
// decides per domain: create it (with the certificate as its current one), update a manual
// domain's certificate to a newer one, leave it unchanged, or refuse (names differ, an ACME
// domain's certificate is not replaced). Without --apply the hub only says what it would do
// (dry run: nothing changes). Running the same import twice changes nothing the second time.
// With --issuer NAME the created domains are ACME-managed from then on (renewed by the hub
// when the imported certificate is due), else manual.
//
// Output: one line per certificate and per problem, by name, then a summary. The status is
// an error when any certificate could not be imported (the others are imported anyway).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli/hub_client.h"
#include "cli/import/import_candidate.h"
#include "common/error.h"

namespace certfleet::cli {

struct ImportOptions {
  std::filesystem::path dir;
  std::string issuer;  // "" = manual
  std::vector<std::string> machines;
  std::string customer;
  bool apply = false;
};

Status RunImportCertbot(HubClient& hub, const ImportOptions& o, std::ostream& out);
Status RunImportPem(HubClient& hub, const ImportOptions& o, std::ostream& out);

// One certificate to POST /api/v1/import; returns the hub's answer
// ({"domain", "action", "applied", "detail"}).
Result<nlohmann::json> SendImport(HubClient& hub, const import::ImportCandidate& c,
                                  const ImportOptions& o);

}  // namespace certfleet::cli
