// Domain reads shared by the domain, work and certificate files.
#pragma once

#include <string_view>

#include "store/model.h"
#include "store/sql/connection.h"

namespace certfleet::store::sql {

Result<Domain> LoadDomain(Connection& conn, Id id);
Result<Domain> LoadDomainByName(Connection& conn, std::string_view name);

}  // namespace certfleet::store::sql
