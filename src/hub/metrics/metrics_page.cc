#include "hub/metrics/metrics_page.h"

#include <charconv>
#include <utility>

#include "common/scan_registry.h"
#include "hub/metrics/exposition.h"
#include "issuance/acme_metrics.h"
#include "issuance/capacity.h"

namespace certfleet::hub::metrics {
namespace {

struct PerDomainFamily {
  std::string_view name;
  std::string_view help;
};

// The per-domain families (cert-manager's certificate metrics, certfleet_ prefix).
constexpr PerDomainFamily kExpiration{
    "certfleet_certificate_expiration_timestamp_seconds",
    "The date after which the domain's current certificate expires (not after), as a Unix time."};
constexpr PerDomainFamily kNotBefore{
    "certfleet_certificate_not_before_timestamp_seconds",
    "The date before which the domain's current certificate is not valid, as a Unix time."};
constexpr PerDomainFamily kRenewal{
    "certfleet_certificate_renewal_timestamp_seconds",
    "When the hub will renew the domain's current certificate, as a Unix time."};
constexpr PerDomainFamily kReady{
    "certfleet_certificate_ready_status",
    "1 for the condition the domain's certificate is in: True while a current certificate is "
    "within its validity, False otherwise (none yet, or expired). Only the condition that "
    "holds is written (cert-manager also writes the other two as 0)."};

constexpr std::string_view kWanted = "certfleet_deployment_wanted_serial_info";
constexpr std::string_view kServed = "certfleet_deployment_served_serial_info";

enum Family : std::size_t {
  kFamExpiration,
  kFamNotBefore,
  kFamRenewal,
  kFamReady,
  kFamWanted,
  kFamServed,
  kFamSmall,  // every family of a few series, written at once
  kFamDone,
};

// A sample line of a per-domain or per-pair family from label values the snapshot holds
// already escaped: name{k1="v1",...} value. The hot path of a scrape (one call per series).
void Line(std::string& out, std::string_view name, std::initializer_list<Label> escaped,
          std::int64_t value) {
  out.append(name);
  char separator = '{';
  for (const auto& [key, text] : escaped) {
    out.push_back(separator);
    out.append(key);
    out.append("=\"", 2);
    out.append(text);
    out.push_back('"');
    separator = ',';
  }
  out.append("} ", 2);
  char digits[24];
  const auto written = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, written.ptr);
  out.push_back('\n');
}

double ToSeconds(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

void WriteScanFamily(Exposition& out) {
  out.Family("certfleet_scan_last_success_timestamp_seconds", "gauge",
             "When each periodic scan of this hub last completed successfully, as a Unix time "
             "(issuance_claim: the worker's look for due domains; expiry and agent_unseen: the "
             "notifier's scans; outbox_relay: the RabbitMQ relay found nothing left to publish).");
  for (const auto& [scan, at] : ScanSuccesses()) {
    out.Sample("certfleet_scan_last_success_timestamp_seconds", {{"scan", scan}}, ToSeconds(at));
  }
}

void WriteAcmeFamilies(Exposition& out) {
  const auto table = issuance::AcmeRequestTable();
  constexpr std::string_view kCount = "certfleet_http_acme_client_requests_total";
  constexpr std::string_view kDuration = "certfleet_http_acme_client_request_duration_seconds";
  out.Family(kCount, "counter",
             "ACME requests sent to CAs by scheme, host, path (resource type), method and HTTP "
             "status (\"error\": no response); cert-manager's "
             "certmanager_http_acme_client_request_count.");
  for (const auto& row : table) {
    const auto& k = row.key;
    out.Sample(kCount,
               {{"scheme", k.scheme},
                {"host", k.host},
                {"path", k.path},
                {"method", k.method},
                {"status", k.status}},
               static_cast<double>(row.count));
  }
  out.Family(kDuration, "summary", "Time spent on those ACME requests, in seconds.");
  for (const auto& row : table) {
    const auto& k = row.key;
    out.Sample(kDuration, "_sum",
               {{"scheme", k.scheme},
                {"host", k.host},
                {"path", k.path},
                {"method", k.method},
                {"status", k.status}},
               row.seconds);
    out.Sample(kDuration, "_count",
               {{"scheme", k.scheme},
                {"host", k.host},
                {"path", k.path},
                {"method", k.method},
                {"status", k.status}},
               static_cast<double>(row.count));
  }
}

TimePoint FromSeconds(std::int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

// One issuer's demand from the snapshot: what issuance::LoadCapacityDemand reads from the
// store, here from the rows the scrape holds anyway.
issuance::CapacityDemand DemandOf(const FleetSnapshot& s, std::string_view issuer, TimePoint now) {
  issuance::CapacityDemand demand;
  const std::int64_t horizon = std::chrono::duration_cast<std::chrono::seconds>(
                                   (now + issuance::kCapacityLookahead).time_since_epoch())
                                   .count();
  for (const DomainEntry& d : s.domains) {
    if (s.Text(s.issuers[d.issuer]) != issuer) continue;
    if (d.certificate_id == 0) {
      if (d.status == store::DomainStatus::kPending) ++demand.first_orders;
    } else if (d.renew_at != kNoTime && d.renew_at <= horizon) {
      demand.renewals.push_back({FromSeconds(d.renew_at), FromSeconds(d.not_after)});
    }
  }
  return demand;
}

// Issue 20: whether each issuer's order pacing keeps up with its fleet (the same rule as the
// capacity warning in `certfleet status` and the notifications).
void WriteCapacityFamily(Exposition& x, const FleetSnapshot& s, const PageOptions& o) {
  if (o.issuers.empty()) return;
  x.Family("certfleet_issuer_order_demand_ratio", "gauge",
           "Orders the issuer's domains need within the next 24 h (renewals due or overdue, "
           "first certificates) over the orders its pacing allows in that time; the hub warns "
           "above 0.8.");
  for (const issuance::IssuerConfig& issuer : o.issuers) {
    const issuance::CapacityVerdict v =
        issuance::AssessCapacity(DemandOf(s, issuer.name, o.now), issuer.orders_per_window,
                                 std::chrono::duration_cast<Duration>(issuer.window), o.now);
    x.Sample("certfleet_issuer_order_demand_ratio", {{"issuer", issuer.name}}, v.share);
  }
}

}  // namespace

MetricsPage::MetricsPage(FleetSnapshot snapshot, PageOptions options)
    : s_(std::move(snapshot)), options_(std::move(options)) {}

bool MetricsPage::Next(std::string& out, std::size_t budget) {
  out.reserve(budget + 1024);  // a part ends after the line that crosses the budget
  while (family_ != kFamDone && out.size() < budget) {
    if (WriteFamily(out, budget)) {
      ++family_;
      row_ = 0;
      family_started_ = false;
    }
  }
  return family_ != kFamDone;
}

bool MetricsPage::WriteFamily(std::string& out, std::size_t budget) {
  Exposition x(out);
  auto per_domain = [&](const PerDomainFamily& f, auto&& value_of) {
    if (!std::exchange(family_started_, true)) x.Family(f.name, "gauge", f.help);
    for (; row_ < s_.domains.size() && out.size() < budget; ++row_) {
      const DomainEntry& d = s_.domains[row_];
      const std::int64_t value = value_of(d);
      if (value == kNoTime) continue;
      Line(out, f.name,
           {{"domain", s_.Text(d.name)},
            {"customer", s_.Text(s_.customers[d.customer])},
            {"issuer", s_.Text(s_.issuers[d.issuer])}},
           value);
    }
    return row_ == s_.domains.size();
  };
  switch (family_) {
    case kFamExpiration:
      return per_domain(kExpiration, [](const DomainEntry& d) { return d.not_after; });
    case kFamNotBefore:
      return per_domain(kNotBefore, [](const DomainEntry& d) { return d.not_before; });
    case kFamRenewal:
      return per_domain(kRenewal, [](const DomainEntry& d) {
        return d.certificate_id != 0 ? d.renew_at : kNoTime;
      });
    case kFamReady:
      return WriteReady(out, budget);
    case kFamWanted:
    case kFamServed:
      return WritePairs(out, budget, family_ == kFamServed);
    case kFamSmall:
      WriteSmallFamilies(out);
      return true;
    default:
      return true;
  }
}

bool MetricsPage::WriteReady(std::string& out, std::size_t budget) {
  Exposition x(out);
  if (!std::exchange(family_started_, true)) x.Family(kReady.name, "gauge", kReady.help);
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(options_.now.time_since_epoch()).count();
  for (; row_ < s_.domains.size() && out.size() < budget; ++row_) {
    const DomainEntry& d = s_.domains[row_];
    const bool ready = d.certificate_id != 0 && d.not_after > now && d.not_before <= now;
    Line(out, kReady.name,
         {{"condition", ready ? "True" : "False"},
          {"domain", s_.Text(d.name)},
          {"customer", s_.Text(s_.customers[d.customer])},
          {"issuer", s_.Text(s_.issuers[d.issuer])}},
         1);
  }
  return row_ == s_.domains.size();
}

bool MetricsPage::WritePairs(std::string& out, std::size_t budget, bool served) {
  Exposition x(out);
  if (!std::exchange(family_started_, true)) {
    if (served) {
      x.Family(kServed, "gauge",
               "1 with the serial (hex) of the certificate the machine's agent last reported as "
               "served for the domain; absent until one was. Compare with " +
                   std::string(kWanted) + ".");
    } else {
      x.Family(kWanted, "gauge",
               "1 with the serial (hex) of the certificate the hub wants the machine to serve for "
               "the domain (its current certificate); absent until the domain has one.");
    }
  }
  for (; row_ < s_.pairs.size() && out.size() < budget; ++row_) {
    const PairEntry& p = s_.pairs[row_];
    const DomainEntry& d = s_.domains[p.domain];
    std::string_view serial;
    if (!served) {
      if (d.certificate_id != 0) serial = s_.Text(d.serial);
    } else if (p.served_certificate != 0) {
      serial =
          p.served_certificate == d.certificate_id ? s_.Text(d.serial) : s_.Text(p.served_serial);
    }
    if (serial.empty()) continue;
    Line(out, served ? kServed : kWanted,
         {{"machine", s_.Text(s_.machines[p.machine].name)},
          {"domain", s_.Text(d.name)},
          {"serial", serial}},
         1);
  }
  return row_ == s_.pairs.size();
}

void MetricsPage::WriteSmallFamilies(std::string& out) {
  Exposition x(out);
  x.Family("certfleet_machine_agent_last_seen_timestamp_seconds", "gauge",
           "When the machine's agent last called the hub, as a Unix time; absent if never.");
  for (const MachineEntry& m : s_.machines) {
    if (m.last_seen == kNoTime) continue;
    Line(out, "certfleet_machine_agent_last_seen_timestamp_seconds", {{"machine", s_.Text(m.name)}},
         m.last_seen);
  }
  x.Family("certfleet_domains", "gauge", "Domains in each status.");
  for (int i = 0; i < 5; ++i) {
    const auto status = static_cast<store::DomainStatus>(i);
    x.Sample("certfleet_domains", {{"status", store::DomainStatusName(status)}},
             static_cast<double>(s_.domains_by_status[i]));
  }
  x.Family("certfleet_orders", "gauge",
           "ACME orders in each state (the terminal ones since the start).");
  for (int i = 0; i < 8; ++i) {
    const std::string_view state = store::OrderStateName(static_cast<store::OrderState>(i));
    std::int64_t count = 0;
    for (const auto& [name, n] : s_.orders_by_state) count += name == state ? n : 0;
    x.Sample("certfleet_orders", {{"state", state}}, static_cast<double>(count));
  }
  x.Family("certfleet_notification_queue_depth", "gauge",
           "Notifications waiting for delivery, per configured channel.");
  for (const std::string& channel : options_.channels) {
    std::int64_t count = 0;
    for (const auto& [name, n] : s_.notifications_by_channel) count += name == channel ? n : 0;
    x.Sample("certfleet_notification_queue_depth", {{"channel", channel}},
             static_cast<double>(count));
  }
  if (options_.outbox_relay) {
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(options_.now.time_since_epoch()).count();
    x.Family("certfleet_outbox_unpublished_events", "gauge",
             "Events in the outbox that the RabbitMQ relay has not published yet.");
    x.Sample("certfleet_outbox_unpublished_events", {}, static_cast<double>(s_.outbox_unpublished));
    x.Family("certfleet_outbox_lag_seconds", "gauge",
             "Age of the oldest unpublished event (0 when none): how far RabbitMQ lags the store.");
    x.Sample("certfleet_outbox_lag_seconds", {},
             s_.outbox_oldest == kNoTime ? 0.0 : static_cast<double>(now - s_.outbox_oldest));
  }
  WriteCapacityFamily(x, s_, options_);
  WriteScanFamily(x);
  WriteAcmeFamilies(x);
  x.Family("certfleet_build_info", "gauge", "Always 1; the version label names the hub's build.");
  x.Sample("certfleet_build_info", {{"version", options_.version}}, 1);
}

}  // namespace certfleet::hub::metrics
