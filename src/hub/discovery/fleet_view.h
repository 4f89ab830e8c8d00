// The fleet view of discovered certificates: per name, what each machine is configured
// with and what it really serves, whether certfleet manages the name, and what to worry
// about. Pure: the caller loads entries (store::InventoryEntry) and the managed names.
//
// A name is
//   managed    a certfleet domain covers it (as name or SAN) and every machine that was
//              probed serves the domain's current certificate;
//   drifting   a domain covers it, but some machine serves something else (adopted, and
//              nginx not yet pointed at the agent's files; or a copy left behind);
//   unmanaged  no domain covers it.
// `conflict` marks names served (or configured) with different certificates on different
// machines. Expiry is what clients get: the served certificate's not_after, else the
// configured one's when no handshake succeeded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/inventory_types.h"

namespace certfleet::hub::discovery {

// A certfleet domain, as far as the fleet view needs it.
struct ManagedDomain {
  std::string name;
  std::vector<std::string> sans;
  std::string current_sha256;  // "" without a current certificate
};

struct Sighting {
  store::Id machine_id = 0;
  std::string machine;
  std::vector<store::InventoryEntry> files;   // ssl_certificate entries naming it
  std::vector<store::InventoryEntry> served;  // handshakes with this SNI
};

enum class NameState { kManaged, kDrifting, kUnmanaged };
std::string_view NameStateName(NameState s);  // "managed", "drifting", "unmanaged"

struct NameGroup {
  std::string name;
  NameState state = NameState::kUnmanaged;
  std::string domain;  // the covering domain, "" when unmanaged
  bool conflict = false;
  std::optional<TimePoint> not_after;  // earliest expiry clients see (see above)
  std::vector<std::string> sha256s;    // distinct certificates seen, served first
  std::vector<std::string> problems;   // "web-03: /etc/ssl/shop.crt: missing", handshake errors
  std::vector<Sighting> machines;      // by machine id
};

// True when the certificate name `pattern` ("a.example.com", "*.example.com") covers `name`.
bool Covers(std::string_view pattern, std::string_view name);

// Groups entries by name, sorted by not_after (soonest first; unknown last), then name.
std::vector<NameGroup> GroupByName(const std::vector<store::InventoryEntry>& entries,
                                   const std::map<store::Id, std::string>& machine_names,
                                   const std::vector<ManagedDomain>& domains);

}  // namespace certfleet::hub::discovery
