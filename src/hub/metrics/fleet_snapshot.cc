#include "hub/metrics/fleet_snapshot.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <unordered_map>

#include "hub/metrics/exposition.h"

namespace certfleet::hub::metrics {
namespace {

std::int64_t Seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Row index by id for rows in ascending id order. Store ids are dense (autoincrement), so
// a table indexed by id − first id answers in one load; sparse ids fall back to a binary
// search. Built once, after the rows: 4 bytes per id in the span.
constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();

template <typename Rows>
class IdIndex {
 public:
  explicit IdIndex(const Rows& rows) : rows_(rows) {
    if (rows.empty()) return;
    first_ = rows.front().id;
    const auto span = static_cast<std::uint64_t>(rows.back().id - first_) + 1;
    if (span > 4 * rows.size() + 1024) return;  // too sparse for a table
    slots_.assign(span, kAbsent);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      slots_[static_cast<std::size_t>(rows[i].id - first_)] = static_cast<std::uint32_t>(i);
    }
  }

  // The row's index, kAbsent when no row has `id`.
  std::uint32_t Find(store::Id id) const {
    if (!slots_.empty()) {
      if (id < first_ || static_cast<std::uint64_t>(id - first_) >= slots_.size()) return kAbsent;
      return slots_[static_cast<std::size_t>(id - first_)];
    }
    auto it = std::lower_bound(
        rows_.begin(), rows_.end(), id,
        [](const typename Rows::value_type& row, store::Id wanted) { return row.id < wanted; });
    return it != rows_.end() && it->id == id ? static_cast<std::uint32_t>(it - rows_.begin())
                                             : kAbsent;
  }

 private:
  const Rows& rows_;
  store::Id first_ = 0;
  std::vector<std::uint32_t> slots_;
};

class Builder final : public store::MetricsVisitor {
 public:
  Builder(FleetSnapshot& s, bool with_outbox) : s_(s), with_outbox_(with_outbox) {
    s_.customers.push_back(Add(""));
  }
  bool WantsOutbox() const override { return with_outbox_; }

  void Machine(store::Id id, std::string_view name, std::optional<TimePoint> seen) override {
    s_.machines.push_back({id, Add(name), seen ? Seconds(*seen) : kNoTime});
  }

  void Domain(const store::DomainMetricsRow& row) override {
    DomainEntry entry;
    entry.id = row.id;
    entry.name = Add(row.name);
    entry.customer = Intern(customer_index_, s_.customers, row.customer);
    entry.issuer = static_cast<std::uint16_t>(Intern(issuer_index_, s_.issuers, row.issuer));
    entry.status = row.status;
    if (row.renew_at) entry.renew_at = Seconds(*row.renew_at);
    if (row.certificate_id) {
      entry.certificate_id = *row.certificate_id;
      entry.not_before = Seconds(row.not_before);
      entry.not_after = Seconds(row.not_after);
      entry.serial = Add(row.serial);
    }
    ++s_.domains_by_status[static_cast<int>(row.status)];
    s_.domains.push_back(entry);
  }

  // Pairs come in (machine id, domain id) order: each machine's pairs are one run.
  void Hosting(store::Id machine_id, store::Id domain_id) override {
    if (!domain_index_) {
      machine_index_.emplace(s_.machines);
      domain_index_.emplace(s_.domains);
    }
    const std::uint32_t machine = machine_index_->Find(machine_id);
    const std::uint32_t domain = domain_index_->Find(domain_id);
    if (machine == kAbsent || domain == kAbsent) return;
    s_.pairs.push_back({machine, domain, 0, kNoTime, {}});
  }

  void Served(store::Id machine_id, store::Id domain_id, store::Id certificate_id,
              TimePoint reported_at) override {
    PairEntry* pair = FindPair(machine_id, domain_id);
    if (pair == nullptr) return;  // served once, no longer wanted there
    const std::int64_t at = Millis(reported_at);
    if (at > pair->served_at_ms ||
        (at == pair->served_at_ms && certificate_id > pair->served_certificate)) {
      pair->served_at_ms = at;
      pair->served_certificate = certificate_id;
    }
  }

  void OrderCount(std::string_view state, std::int64_t count) override {
    s_.orders_by_state.emplace_back(std::string(state), count);
  }

  void NotificationQueue(std::string_view channel, std::int64_t pending) override {
    s_.notifications_by_channel.emplace_back(std::string(channel), pending);
  }

  void Outbox(std::int64_t unpublished, std::optional<TimePoint> oldest) override {
    s_.outbox_unpublished = unpublished;
    s_.outbox_oldest = oldest ? Seconds(*oldest) : kNoTime;
  }

 private:
  TextRef Add(std::string_view text) { return AddLabelText(s_.text, text); }

  // Names are looked up without building a string (one customer per domain at 100k).
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  using NameIndex = std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>>;

  std::uint32_t Intern(NameIndex& index, std::vector<TextRef>& list, std::string_view text) {
    if (auto it = index.find(text); it != index.end()) return it->second;
    const auto added = static_cast<std::uint32_t>(list.size());
    index.emplace(std::string(text), added);
    list.push_back(Add(text));
    return added;
  }

  // The pair of (machine, domain): the machine's run of pairs, then a binary search on the
  // domain index within it (pairs of one machine ascend by domain id, as do the indexes).
  PairEntry* FindPair(store::Id machine_id, store::Id domain_id) {
    if (!domain_index_) return nullptr;  // no hosting pair at all
    if (runs_.empty()) {
      runs_.assign(s_.machines.size() + 1, 0);
      for (const PairEntry& p : s_.pairs) ++runs_[p.machine + 1];
      for (std::size_t m = 1; m < runs_.size(); ++m) runs_[m] += runs_[m - 1];
    }
    const std::uint32_t machine = machine_index_->Find(machine_id);
    const std::uint32_t domain = domain_index_->Find(domain_id);
    if (machine == kAbsent || domain == kAbsent) return nullptr;
    const auto begin = s_.pairs.begin() + runs_[machine];
    const auto end = s_.pairs.begin() + runs_[machine + 1];
    auto it = std::lower_bound(begin, end, domain,
                               [](const PairEntry& p, std::uint32_t d) { return p.domain < d; });
    return it != end && it->domain == domain ? &*it : nullptr;
  }

  FleetSnapshot& s_;
  const bool with_outbox_;
  std::optional<IdIndex<std::vector<MachineEntry>>> machine_index_;  // at the first pair
  std::optional<IdIndex<std::deque<DomainEntry>>> domain_index_;
  std::vector<std::uint32_t> runs_;  // pairs of machine m: [runs_[m], runs_[m + 1])
  NameIndex customer_index_{{"", 0}};
  NameIndex issuer_index_;
};

}  // namespace

std::string& TextArena::Reserve(std::size_t length) {
  if (blocks_.empty() || blocks_.back().size() + length > kBlockSize) {
    blocks_.emplace_back().reserve(kBlockSize);
  }
  return blocks_.back();
}

TextRef TextArena::Commit(std::size_t start) const {
  const std::string& block = blocks_.back();
  const auto index = static_cast<std::uint32_t>(blocks_.size() - 1);
  return {index << kBlockBits | static_cast<std::uint32_t>(start),
          static_cast<std::uint32_t>(block.size() - start)};
}

TextRef AddLabelText(TextArena& arena, std::string_view text) {
  text = text.substr(0, TextArena::kMaxText);
  std::string& block = arena.Reserve(2 * text.size());  // escaping at most doubles it
  const std::size_t start = block.size();
  AppendLabelValue(block, text);
  return arena.Commit(start);
}

Result<FleetSnapshot> ReadFleetSnapshot(store::MetricsView& view, bool with_outbox) {
  FleetSnapshot snapshot;
  Builder builder(snapshot, with_outbox);
  if (auto s = view.Visit(builder); !s) return Fail(s.error());
  // A pair whose served certificate is not the current one needs that certificate's serial.
  for (PairEntry& pair : snapshot.pairs) {
    const DomainEntry& domain = snapshot.domains[pair.domain];
    if (pair.served_certificate == 0 || pair.served_certificate == domain.certificate_id) continue;
    auto serial = view.CertificateSerial(pair.served_certificate);
    if (!serial) continue;  // deleted since: leave the pair without a served serial
    pair.served_serial = AddLabelText(snapshot.text, *serial);
  }
  return snapshot;
}

}  // namespace certfleet::hub::metrics
