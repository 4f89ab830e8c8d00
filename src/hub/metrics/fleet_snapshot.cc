#include "hub/metrics/fleet_snapshot.h"

#include <algorithm>
#include <unordered_map>

namespace certfleet::hub::metrics {
namespace {

std::int64_t Seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

template <typename T>
std::size_t IndexOfId(const std::vector<T>& rows, store::Id id) {
  auto it = std::lower_bound(rows.begin(), rows.end(), id,
                             [](const T& row, store::Id wanted) { return row.id < wanted; });
  return it != rows.end() && it->id == id ? static_cast<std::size_t>(it - rows.begin())
                                          : rows.size();
}

class Builder final : public store::MetricsVisitor {
 public:
  explicit Builder(FleetSnapshot& s) : s_(s) { s_.customers.push_back(Add("")); }

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

  void Hosting(store::Id machine_id, store::Id domain_id) override {
    const std::size_t machine = IndexOfId(s_.machines, machine_id);
    const std::size_t domain = IndexOfId(s_.domains, domain_id);
    if (machine == s_.machines.size() || domain == s_.domains.size()) return;
    s_.pairs.push_back(
        {static_cast<std::uint32_t>(machine), static_cast<std::uint32_t>(domain), 0, kNoTime, {}});
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
  TextRef Add(std::string_view text) {
    TextRef ref{static_cast<std::uint32_t>(s_.text.size()),
                static_cast<std::uint32_t>(text.size())};
    s_.text.append(text);
    return ref;
  }

  std::uint32_t Intern(std::unordered_map<std::string, std::uint32_t>& index,
                       std::vector<TextRef>& list, std::string_view text) {
    auto [it, added] =
        index.try_emplace(std::string(text), static_cast<std::uint32_t>(list.size()));
    if (added) list.push_back(Add(text));
    return it->second;
  }

  PairEntry* FindPair(store::Id machine_id, store::Id domain_id) {
    auto it = std::lower_bound(
        s_.pairs.begin(), s_.pairs.end(), std::make_pair(machine_id, domain_id),
        [this](const PairEntry& p, const std::pair<store::Id, store::Id>& key) {
          return std::make_pair(s_.machines[p.machine].id, s_.domains[p.domain].id) < key;
        });
    if (it == s_.pairs.end() || s_.machines[it->machine].id != machine_id ||
        s_.domains[it->domain].id != domain_id) {
      return nullptr;
    }
    return &*it;
  }

  FleetSnapshot& s_;
  std::unordered_map<std::string, std::uint32_t> customer_index_{{"", 0}};
  std::unordered_map<std::string, std::uint32_t> issuer_index_;
};

}  // namespace

Result<FleetSnapshot> ReadFleetSnapshot(store::MetricsView& view) {
  FleetSnapshot snapshot;
  Builder builder(snapshot);
  if (auto s = view.Visit(builder); !s) return Fail(s.error());
  // A pair whose served certificate is not the current one needs that certificate's serial.
  for (PairEntry& pair : snapshot.pairs) {
    const DomainEntry& domain = snapshot.domains[pair.domain];
    if (pair.served_certificate == 0 || pair.served_certificate == domain.certificate_id) continue;
    auto serial = view.CertificateSerial(pair.served_certificate);
    if (!serial) continue;  // deleted since: leave the pair without a served serial
    pair.served_serial = {static_cast<std::uint32_t>(snapshot.text.size()),
                          static_cast<std::uint32_t>(serial->size())};
    snapshot.text.append(*serial);
  }
  return snapshot;
}

}  // namespace certfleet::hub::metrics
