// TomlTableReader: typed reads of one TOML table for config files, with clear errors.
//
// Every read marks its key as known, so RejectUnknown() can name the keys nobody read: a
// typo in a config file is an error, never a silent fall-back to the default. An absent key
// leaves `out` unchanged (the caller's default). Errors are kInvalidArgument and read
// "config <source>: <prefix><key>: <what is wrong>". Not thread-safe; keeps a reference to
// the table, which must outlive the reader.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet {

// Parses a whole config file; a syntax error is kInvalidArgument reading
// "config <source>: <what toml++ says> (line L, column C)".
Result<toml::table> ParseTomlDocument(std::string_view text, std::string_view source);

class TomlTableReader {
 public:
  // `prefix` names the table in messages ("issuance.", "" for the top level); `source` is
  // the file name or "environment".
  TomlTableReader(const toml::table& table, std::string prefix, std::string_view source)
      : table_(table), prefix_(std::move(prefix)), source_(source) {}

  Status String(std::string_view key, std::string& out);
  Status Int(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out);
  Status Int(std::string_view key, int min, int max, int& out);
  Status Bool(std::string_view key, bool& out);
  Status Bool(std::string_view key, std::optional<bool>& out);  // unset when absent
  Status Strings(std::string_view key, std::vector<std::string>& out);

  // Marks `key` as known and returns its node (nullptr when absent), for sub-tables and
  // shapes the typed reads above do not cover.
  const toml::node* Take(std::string_view key);

  // kInvalidArgument naming every key of the table that nobody read.
  Status RejectUnknown() const;

  // The error for `key` with `message` in the shape above.
  tl::unexpected<Error> Bad(std::string_view key, const std::string& message) const;

 private:
  const toml::table& table_;
  std::string prefix_;
  std::string_view source_;
  std::set<std::string, std::less<>> used_;
};

}  // namespace certfleet
