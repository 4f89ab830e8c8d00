// The memory store's DNS-01 records placed by RFC 2136 (ChallengeBoard).
#include <algorithm>

#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

// By expires_at, then (zone, name, value): the map's order.
std::vector<PlacedTxt> SortedByExpiry(std::vector<PlacedTxt> records) {
  std::stable_sort(records.begin(), records.end(),
                   [](const auto& a, const auto& b) { return a.expires_at < b.expires_at; });
  return records;
}

}  // namespace

Status MemoryStore::RecordPlacedTxt(const PlacedTxt& r) {
  if (r.zone.empty() || r.name.empty() || r.value.empty())
    return Fail(ErrorCode::kInvalidArgument, "a placed TXT record needs a zone, name and value");
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    PlacedTxt row = r;
    row.expires_at = Ms(r.expires_at);
    tx.db.placed_txt[{r.zone, r.name, r.value}] = std::move(row);
    return Ok();
  });
}

Status MemoryStore::ForgetPlacedTxt(std::string_view zone, std::string_view name,
                                    std::string_view value) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    tx.db.placed_txt.erase({std::string(zone), std::string(name), std::string(value)});
    return Ok();
  });
}

Result<std::vector<PlacedTxt>> MemoryStore::ListPlacedTxtOfDomain(Id domain_id) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<PlacedTxt>> {
    std::vector<PlacedTxt> out;
    for (const auto& [key, record] : db.placed_txt) {
      if (record.domain_id == domain_id) out.push_back(record);
    }
    return SortedByExpiry(std::move(out));
  });
}

Result<std::vector<PlacedTxt>> MemoryStore::ListExpiredPlacedTxt(TimePoint now,
                                                                 std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<PlacedTxt>> {
    std::vector<PlacedTxt> out;
    for (const auto& [key, record] : db.placed_txt) {
      if (record.expires_at <= Ms(now)) out.push_back(record);
    }
    out = SortedByExpiry(std::move(out));
    if (limit >= 0 && out.size() > static_cast<std::size_t>(limit))
      out.resize(static_cast<std::size_t>(limit));
    return out;
  });
}

}  // namespace certfleet::store::testing
