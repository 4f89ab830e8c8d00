// ImportCandidate: one certificate with its key, found on a host (a certbot lineage, a
// name.crt/name.key pair), checked the way the hub will check it and turned into what a
// domain needs: primary name, SANs, key type.
//
// Checks (each a kInvalidArgument naming what is wrong): the chain parses and is in order
// (leaf first), the key parses (one of the key types certfleet issues) and belongs to the
// leaf, the leaf names at least one host. Expiry is left to the hub, which decides with its
// own clock. key_pem is key material: never print it, never log it.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::cli::import {

struct ImportCandidate {
  std::string label;   // what the report calls it: the lineage name, the file stem
  std::string origin;  // the file it came from (renewal conf, .crt)
  std::string name;    // primary name
  std::vector<std::string> sans;
  std::string key_type;  // crypto::KeyTypeName
  std::string chain_pem;
  std::string key_pem;
  std::string sha256;
  std::string serial;
  TimePoint not_after{};
  std::string acme_server;  // certbot's renewal server, "" when unknown
};

struct ImportProblem {
  std::string label;
  std::string origin;
  std::string error;
};

struct ImportSet {
  std::vector<ImportCandidate> candidates;
  std::vector<ImportProblem> problems;
};

// `preferred` names the primary if the certificate covers it as one of its names
// (certbot's lineage name, "shop.example.com-0001" counting as "shop.example.com");
// else the subject CN if it is one of the names, else the first name.
Result<ImportCandidate> MakeCandidate(std::string label, std::string origin,
                                      const std::string& chain_pem, std::string key_pem,
                                      const std::string& preferred);

}  // namespace certfleet::cli::import
