// Importing a certificate found on a host (issue 19): the rules behind POST /api/v1/import,
// used by `certfleet import certbot|pem` and the certbot/lego deploy hooks.
//
// The hub decides per certificate, the same way for a dry run and for real:
//   create     no domain has the name: create it (issuer manual, or the ACME issuer given,
//              which renews it from when the imported certificate is due — not at once) with
//              the certificate as its current one, on the machines given;
//   update     a manual domain with the same names holds an older certificate: the newer one
//              becomes current (and machines given that it lacks are added);
//   unchanged  the domain already holds this certificate (so importing twice changes nothing
//              the second time), or holds one as new or newer, or is renewed by an ACME
//              issuer (its certificates are the hub's own);
// refused: a domain with the name but other names (kConflict naming both lists), or a
// certificate the upload checks refuse (expired, key not matching, names not covered:
// kInvalidArgument). With apply = false nothing is stored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "hub/service/context.h"

namespace certfleet::hub::discovery {

struct ImportInput {
  std::string name;
  std::vector<std::string> sans;
  std::string key_type;
  std::string issuer;  // "" = manual
  std::vector<std::string> machines;
  std::string customer;
  std::string chain_pem;
  std::string key_pem;
  bool apply = false;
};

struct ImportOutcome {
  std::string domain;
  std::string action;  // "create", "update", "unchanged"
  bool applied = false;
  std::string detail;
};

Result<ImportOutcome> ImportCertificate(service::ServiceContext& s, const store::Actor& actor,
                                        const ImportInput& in);

}  // namespace certfleet::hub::discovery
