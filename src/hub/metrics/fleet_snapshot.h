// FleetSnapshot: what one /metrics scrape reads from the store, kept compact so a hub with
// 100,000 domains holds about 15 MB for the length of a scrape (issue 18's budget is 20 MB).
// Rows and text grow in blocks, never by doubling one array: a doubling vector copies into
// twice its size while the old copy still exists (+50 % of peak memory at the wrong moment).
//
// Strings live in one arena (`text`) and are referred to by offset, already escaped as
// Prometheus label values (so a scrape copies them as they are); customer and issuer names
// are interned. ReadFleetSnapshot fills it through store::MetricsView in one read
// transaction, then resolves, for each (machine, domain) the hub wants served, the
// certificate the agent last reported as served there.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "store/metrics_view.h"

namespace certfleet::hub::metrics {

struct TextRef {
  std::uint32_t offset = 0;  // block << kBlockBits | position in the block
  std::uint32_t length = 0;
};

// Strings in 1 MiB blocks (a string never spans two). Texts longer than kMaxText are cut
// (label values are names the hub validated, far shorter).
class TextArena {
 public:
  static constexpr unsigned kBlockBits = 20;
  static constexpr std::size_t kBlockSize = std::size_t{1} << kBlockBits;
  static constexpr std::size_t kMaxText = 64 * 1024;

  // Where the next text of at most `length` bytes goes; write it with Commit.
  std::string& Reserve(std::size_t length);
  // Ends the text begun at `start` (the block's size before writing).
  TextRef Commit(std::size_t start) const;
  std::string_view Text(TextRef ref) const {
    return {blocks_[ref.offset >> kBlockBits].data() + (ref.offset & (kBlockSize - 1)), ref.length};
  }

 private:
  std::vector<std::string> blocks_;
};

// Seconds since the epoch; kNoTime when absent.
inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

struct DomainEntry {
  store::Id id = 0;
  store::Id certificate_id = 0;  // 0: no current certificate
  TextRef name;
  TextRef serial;
  std::int64_t not_before = kNoTime;
  std::int64_t not_after = kNoTime;
  std::int64_t renew_at = kNoTime;
  std::uint32_t customer = 0;  // index into customers (0 = "")
  std::uint16_t issuer = 0;    // index into issuers
  store::DomainStatus status = store::DomainStatus::kPending;
};

struct MachineEntry {
  store::Id id = 0;
  TextRef name;
  std::int64_t last_seen = kNoTime;
};

// One (machine, domain) the hub wants served.
struct PairEntry {
  std::uint32_t machine = 0;         // index into machines
  std::uint32_t domain = 0;          // index into domains
  store::Id served_certificate = 0;  // 0: never reported served
  std::int64_t served_at_ms = kNoTime;
  TextRef served_serial;  // set when served_certificate differs from the domain's current
};

struct FleetSnapshot {
  TextArena text;
  std::vector<TextRef> customers;  // [0] is ""
  std::vector<TextRef> issuers;
  std::vector<MachineEntry> machines;  // ascending id
  std::deque<DomainEntry> domains;     // ascending id
  std::deque<PairEntry> pairs;         // ascending (machine id, domain id)
  std::vector<std::pair<std::string, std::int64_t>> orders_by_state;
  std::vector<std::pair<std::string, std::int64_t>> notifications_by_channel;
  std::int64_t outbox_unpublished = 0;
  std::int64_t outbox_oldest = kNoTime;                 // seconds
  std::int64_t domains_by_status[5] = {0, 0, 0, 0, 0};  // indexed by store::DomainStatus

  std::string_view Text(TextRef ref) const { return text.Text(ref); }
};

// Appends `text` to `arena` escaped as a label value; returns where it is.
TextRef AddLabelText(TextArena& arena, std::string_view text);

// Reads the snapshot; the outbox counts only `with_outbox` (the page shows them only with
// [rabbitmq]). Store errors pass through.
Result<FleetSnapshot> ReadFleetSnapshot(store::MetricsView& view, bool with_outbox = true);

}  // namespace certfleet::hub::metrics
