// `certfleet domain add|list|show|set|delete|issue|dns01` over the hub API. Each prints a table
// (or -o wide|json|csv|name) on stdout; notes for people go to stderr.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "cli/output.h"
#include "common/error.h"

namespace certfleet::cli {

// What `domain list` prints for the hub's domain objects, and `domain show` for one. Both take
// answers with fields left out (an older or newer hub) without failing.
Table DomainTable(const nlohmann::json& items);
void PrintDomain(CliContext& ctx, const nlohmann::json& domain);

struct DomainAddOptions {
  std::string name;
  std::string customer;
  std::vector<std::string> machines;
  std::vector<std::string> sans;
  std::string issuer;    // "" = the hub's default issuer
  std::string key_type;  // "" = the hub's default
  std::string profile;
};
Status RunDomainAdd(CliContext& ctx, const DomainAddOptions& o);

// The API's filters; statuses is a list ("failed,pending" or repeated --status).
struct DomainFilterOptions {
  std::string search;
  std::vector<std::string> statuses;
  std::string customer, machine, issuer;
  int expiring_days = -1;  // -1 = any
};

struct DomainListOptions {
  DomainFilterOptions filter;
  std::string sort = "name";  // name | expires | status | updated | next
  bool descending = false;
  int limit = 100;
  int offset = 0;
  std::string after;  // the `next` cursor of the previous page
  bool all = false;   // follow the pages to the end
  bool json = false;  // old --json flag: same as -o json
};
Status RunDomainList(CliContext& ctx, const DomainListOptions& o);

// The domain with any of its names (primary, SAN, Unicode spelling).
Status RunDomainShow(CliContext& ctx, const std::string& name);

struct DomainSetOptions {
  std::string name;
  std::vector<std::string> add_machines, remove_machines, add_sans, remove_sans;
  std::optional<std::vector<std::string>> machines;  // --machine: replaces the list
  std::optional<std::string> customer;               // "" = none (--no-customer)
  std::optional<std::string> issuer, key_type, profile;
};
Status RunDomainSet(CliContext& ctx, const DomainSetOptions& o);

// Asks first (or --yes); several names at once.
Status RunDomainDelete(CliContext& ctx, const std::vector<std::string>& names);

// Re-issue by name or by filter; --dry-run lists what would be re-issued. Manual domains
// are skipped with a note. Exit 1 when one failed.
struct DomainIssueOptions {
  std::vector<std::string> names;
  DomainFilterOptions filter;
  bool all = false;  // every ACME domain (no filter needed)
  bool dry_run = false;
};
Status RunDomainIssue(CliContext& ctx, const DomainIssueOptions& o);

// A domain's DNS-01 (domain_dns01.cc): which challenge answers each name and the CNAME to
// create for delegated names; --check runs the delegation check (exit 1 when it finds a
// problem); --challenge sets the domain's choice ("default" = the issuer's order).
struct DomainDns01Options {
  std::string name;
  bool check = false;
  std::optional<std::string> challenge;
};
Status RunDomainDns01(CliContext& ctx, const DomainDns01Options& o);

// GET /api/v1/domains?<filter> following every page; used by the bulk commands.
Result<nlohmann::json> ListAllDomains(CliContext& ctx, const DomainFilterOptions& f);
// "?q=…&status=…" for the filter ("" when empty), each value URL-encoded.
std::string FilterQuery(const DomainFilterOptions& f);
bool IsEmpty(const DomainFilterOptions& f);

}  // namespace certfleet::cli
