#include "notify/names.h"

namespace certfleet::notify {

Result<std::string> Names::Customer(std::optional<store::Id> id) {
  if (!id) return std::string();
  if (auto it = customers_.find(*id); it != customers_.end()) return it->second;
  auto customer = store_.GetCustomer(*id);
  if (!customer && customer.error().code != ErrorCode::kNotFound) return Fail(customer.error());
  std::string name = customer ? customer->name : "#" + std::to_string(*id);
  customers_[*id] = name;
  return name;
}

Result<std::string> Names::Machine(store::Id id) {
  if (auto it = machines_.find(id); it != machines_.end()) return it->second;
  auto machine = store_.GetMachine(id);
  if (!machine && machine.error().code != ErrorCode::kNotFound) return Fail(machine.error());
  std::string name = machine ? machine->name : "#" + std::to_string(id);
  machines_[id] = name;
  return name;
}

Result<std::vector<std::string>> Names::Machines(const std::vector<store::Id>& ids) {
  std::vector<std::string> names;
  for (store::Id id : ids) {
    auto name = Machine(id);
    if (!name) return Fail(name.error());
    names.push_back(*name);
  }
  return names;
}

}  // namespace certfleet::notify
