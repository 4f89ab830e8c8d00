// Memory store: the domain queries (search, renewals due, expiry candidates) and each
// machine's desired state.
#include <algorithm>
#include <cctype>

#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

// Orders optional times like SQL: NULL first ascending (and last descending).
int CompareOpt(const std::optional<TimePoint>& a, const std::optional<TimePoint>& b) {
  if (a == b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  return *a < *b ? -1 : 1;
}

// The SQL store's order: the sort column (a missing time first), then the unique name.
int CompareKeys(const DomainKey& a, const DomainKey& b) {
  int c = CompareOpt(a.time, b.time);
  if (c == 0) c = a.value.compare(b.value);
  if (c == 0) c = a.name.compare(b.name);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool Matches(const DomainQuery& q, const Domain& d) {
  if (!ContainsFolded(d.name, q.name_contains) &&
      std::none_of(d.sans.begin(), d.sans.end(),
                   [&](const std::string& san) { return ContainsFolded(san, q.name_contains); })) {
    return false;
  }
  if (q.customer_id && d.customer_id != q.customer_id) return false;
  if (q.status && d.status != *q.status) return false;
  if (!q.issuer.empty() && d.issuer != q.issuer) return false;
  if (q.expiring_before && !(d.current_not_after && *d.current_not_after < *q.expiring_before)) {
    return false;
  }
  return true;
}

}  // namespace

bool ContainsFolded(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  return it != haystack.end();
}

Result<Page<Domain>> MemoryStore::ListDomains(const DomainQuery& q) {
  return Read([&](MemoryDatabase& db) -> Result<Page<Domain>> {
    std::vector<const Domain*> matches;
    auto consider = [&](const Domain& d) {
      if (Matches(q, d)) matches.push_back(&d);
    };
    if (q.machine_id) {
      for (Id id : db.machine_domains[*q.machine_id]) consider(db.domains.at(id));
    } else {
      for (const auto& [id, d] : db.domains) consider(d);
    }
    // Ascending or descending by (sort column, name): < 0 when `a` comes first.
    auto order = [&](const DomainKey& a, const DomainKey& b) {
      const int c = CompareKeys(a, b);
      return q.descending ? -c : c;
    };
    std::sort(matches.begin(), matches.end(), [&](const Domain* a, const Domain* b) {
      return order(KeyOf(*a, q.sort), KeyOf(*b, q.sort)) < 0;
    });
    Page<Domain> page;
    const auto count = static_cast<std::int64_t>(matches.size());
    if (q.count_limit == kCountAll) {
      page.total = count;
    } else if (q.count_limit > 0) {
      page.total = std::min(count, q.count_limit);
      page.total_is_lower_bound = count > q.count_limit;
    }
    std::size_t first = 0;
    if (q.after) {
      while (first < matches.size() && order(KeyOf(*matches[first], q.sort), *q.after) <= 0) {
        ++first;
      }
    }
    first += static_cast<std::size_t>(std::max<std::int64_t>(q.offset, 0));
    const auto limit = static_cast<std::size_t>(std::clamp<std::int64_t>(q.limit, 0, 1000));
    for (std::size_t i = first; i < matches.size() && page.items.size() < limit; ++i) {
      page.items.push_back(*matches[i]);
    }
    page.more = first + page.items.size() < matches.size();
    return page;
  });
}

Result<std::vector<Domain>> MemoryStore::ListDomainsDueForRenewal(TimePoint t, std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Domain>> {
    std::vector<Domain> out;
    for (const auto& [at, id] : db.renewals) {
      if (at > t || static_cast<std::int64_t>(out.size()) >= limit) break;
      out.push_back(db.domains.at(id));
    }
    return out;
  });
}

// A merge of two index ranges: the unattended domains ending before q.ending_before, and
// every domain ending by q.ending_soon (an entry may be in both).
Result<std::vector<Domain>> MemoryStore::ListExpiryCandidates(const ExpiryCandidateQuery& q) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Domain>> {
    using Entry = std::pair<TimePoint, Id>;
    const auto limit = static_cast<std::size_t>(std::clamp<std::int64_t>(q.limit, 0, 1000));
    const TimePoint ending = Ms(q.ending_before);
    const TimePoint soon = Ms(q.ending_soon);
    std::optional<Entry> after;
    if (q.after) after = Entry{Ms(q.after->first), q.after->second};
    auto a = after ? db.expiries_unattended.upper_bound(*after) : db.expiries_unattended.begin();
    auto e = after ? db.expiries.upper_bound(*after) : db.expiries.begin();
    std::vector<Domain> out;
    while (out.size() < limit) {
      const bool has_a = a != db.expiries_unattended.end() && a->first < ending;
      const bool has_e = e != db.expiries.end() && e->first < ending && e->first <= soon;
      if (!has_a && !has_e) break;
      Entry next;
      if (has_a && (!has_e || *a <= *e)) {
        next = *a;
        if (has_e && *e == *a) ++e;
        ++a;
      } else {
        next = *e++;
      }
      out.push_back(db.domains.at(next.second));
    }
    return out;
  });
}

Result<DesiredState> MemoryStore::GetDesiredState(Id machine_id) {
  return Read([&](MemoryDatabase& db) -> Result<DesiredState> {
    auto machine = db.machines.find(machine_id);
    if (machine == db.machines.end()) return Fail(NotFound("machine", machine_id));
    DesiredState state{
        machine_id, machine->second.name, static_cast<Revision>(db.events.size()), {}};
    for (Id id : db.machine_domains[machine_id]) {
      const Domain& d = db.domains.at(id);
      DesiredCertificate c{d.id, d.name, d.sans, std::nullopt, "", std::nullopt};
      if (d.current_certificate_id) {
        const CertificateVersion& cert = db.certificates.at(*d.current_certificate_id);
        c.certificate_id = cert.id;
        c.sha256 = cert.sha256;
        c.not_after = cert.not_after;
      }
      state.certificates.push_back(std::move(c));
    }
    std::sort(state.certificates.begin(), state.certificates.end(),
              [](const auto& a, const auto& b) { return a.domain < b.domain; });
    return state;
  });
}

Result<std::string> MemoryStore::HostedDomainName(Id machine_id, Id domain_id) {
  return Read([&](MemoryDatabase& db) -> Result<std::string> {
    auto hosted = db.machine_domains.find(machine_id);
    if (hosted == db.machine_domains.end() || hosted->second.count(domain_id) == 0) {
      return Fail(ErrorCode::kNotFound, "domain " + std::to_string(domain_id) +
                                            " is not hosted on machine " +
                                            std::to_string(machine_id));
    }
    return db.domains.at(domain_id).name;
  });
}

}  // namespace certfleet::store::testing
