#include "issuance/txt_leftovers.h"

#include <spdlog/spdlog.h>

namespace certfleet::issuance {
namespace {

constexpr std::int64_t kSweepBatch = 100;  // a pass's records; the rest wait for the next

std::string Shown(const store::PlacedTxt& r) {
  return r.name + " TXT \"" + r.value + "\" (zone " + r.zone + ")";
}

}  // namespace

int RemovePlacedTxt(store::ChallengeBoard& board, const Dns01Runtime& dns01,
                    const std::vector<store::PlacedTxt>& records) {
  int removed = 0;
  for (const store::PlacedTxt& r : records) {
    const solver::Rfc2136Solver* solver = dns01.Rfc2136Zone(r.zone);
    if (solver == nullptr) {
      spdlog::error(
          "dns01: {} was left in the zone, which is no longer in [dns01]: delete it by "
          "hand",
          Shown(r));
    } else if (auto deleted = solver->DeleteTxt(r.name, r.value); !deleted) {
      spdlog::warn("dns01: removing the left-over {}: {} (trying again later)", Shown(r),
                   deleted.error().message);
      continue;
    } else {
      spdlog::info("dns01: removed the left-over {}", Shown(r));
      ++removed;
    }
    if (auto forgotten = board.ForgetPlacedTxt(r.zone, r.name, r.value); !forgotten)
      spdlog::warn("dns01: forgetting {}: {}", Shown(r), forgotten.error().message);
  }
  return removed;
}

void RemoveDomainLeftovers(store::ChallengeBoard& board, const Dns01Runtime* dns01,
                           store::Id domain_id, std::string_view domain) {
  if (dns01 == nullptr) return;
  auto records = board.ListPlacedTxtOfDomain(domain_id);
  if (!records) {
    spdlog::warn("{}: listing its left-over DNS-01 records: {}", domain, records.error().message);
    return;
  }
  RemovePlacedTxt(board, *dns01, *records);
}

void RemoveExpiredLeftovers(store::ChallengeBoard& board, const Dns01Runtime& dns01,
                            TimePoint now) {
  auto records = board.ListExpiredPlacedTxt(now, kSweepBatch);
  if (!records) {
    spdlog::warn("dns01: listing left-over TXT records: {}", records.error().message);
    return;
  }
  RemovePlacedTxt(board, dns01, *records);
}

}  // namespace certfleet::issuance
