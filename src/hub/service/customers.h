// The rules of saving customers and machines (the API's /customers and /machines and the
// web UI's forms call these). Names are checked by names.h; references resolved by
// lookup.h; the store writes the events and the audit row with each change.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "hub/service/context.h"
#include "store/store.h"

namespace certfleet::hub::service {

// Absent fields keep their value on update; "" clears contact / support_expires.
struct CustomerInput {
  std::optional<std::string> name;  // required on create
  std::optional<std::string> contact;
  std::optional<std::string> support_expires;  // YYYY-MM-DD or "" for none
  std::optional<std::int64_t> version;         // update: stale → kConflict
};

Result<store::Customer> CreateCustomer(ServiceContext& s, const store::Actor& actor,
                                       const CustomerInput& in);
// Renaming is allowed (domains refer to customers by id).
Result<store::Customer> UpdateCustomer(ServiceContext& s, const store::Actor& actor,
                                       std::string_view name, const CustomerInput& in);
// kConflict while machines or domains still belong to it (the store says how many).
Status DeleteCustomer(ServiceContext& s, const store::Actor& actor, std::string_view name);

struct MachineInput {
  std::optional<std::string> name;  // required on create
  std::optional<std::string> address;
  std::optional<std::string> customer;  // "" = none
  std::optional<std::int64_t> version;
};

Result<store::Machine> CreateMachine(ServiceContext& s, const store::Actor& actor,
                                     const MachineInput& in);
Result<store::Machine> UpdateMachine(ServiceContext& s, const store::Actor& actor,
                                     std::string_view name, const MachineInput& in);
// kConflict while it hosts domains; deletes its deployments and agent tokens.
Status DeleteMachine(ServiceContext& s, const store::Actor& actor, std::string_view name);

}  // namespace certfleet::hub::service
