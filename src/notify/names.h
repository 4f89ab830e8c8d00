// Names: resolves customer and machine ids to names for messages, caching per pass.
//
// Not thread safe; create one per dispatcher pass. A row deleted meanwhile resolves to
// "#<id>" rather than failing the notice; other store errors are returned.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/catalog.h"

namespace certfleet::notify {

class Names {
 public:
  explicit Names(store::Catalog& store) : store_(store) {}

  // "" for no customer.
  Result<std::string> Customer(std::optional<store::Id> id);
  Result<std::string> Machine(store::Id id);
  Result<std::vector<std::string>> Machines(const std::vector<store::Id>& ids);

 private:
  store::Catalog& store_;
  std::map<store::Id, std::string> customers_;
  std::map<store::Id, std::string> machines_;
};

}  // namespace certfleet::notify
