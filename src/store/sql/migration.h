// A versioned schema migration, embedded in the binary from a dialect's
// migrations/NNNN_name.sql (embed_migrations.cmake).
#pragma once

#include <string_view>

namespace certfleet::store::sql {

struct Migration {
  int version;  // NNNN from the file name; consecutive from 1
  std::string_view file;
  std::string_view sql;
};

}  // namespace certfleet::store::sql
