// Reading a certbot configuration directory (/etc/letsencrypt) for `certfleet import certbot`.
//
// Every lineage becomes an ImportCandidate or an ImportProblem naming it, so one broken
// lineage never hides the others:
// - renewal/<lineage>.conf (renewal_conf.h) names the fullchain and privkey files (links
//   into archive/); a conf that does not parse, misses those keys, or names files that
//   are not there ("... is a link to ../../archive/x/fullchain3.pem, which does not
//   exist") is a problem of that lineage;
// - live/<lineage>/ directories without a renewal conf are read too (fullchain.pem +
//   privkey.pem), so a tree whose renewal/ was lost still imports.
// The certificate and key pass MakeCandidate's checks. Candidates and problems are sorted by
// label. The key files are read (the hub needs the key); nothing is printed or logged here.
#pragma once

#include <filesystem>

#include "cli/import/import_candidate.h"
#include "common/error.h"

namespace certfleet::cli::import {

// kInvalidArgument when `dir` has neither renewal/ nor live/ (not a certbot directory).
Result<ImportSet> ReadCertbotTree(const std::filesystem::path& dir);

// `certfleet import pem DIR`: every "<name>.crt" with its "<name>.key" beside it (the chain
// leaf first); a .crt without .key, or a .key without .crt, is a problem of that name.
Result<ImportSet> ReadPemDirectory(const std::filesystem::path& dir);

}  // namespace certfleet::cli::import
