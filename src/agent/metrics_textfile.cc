#include "agent/metrics_textfile.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "common/atomic_file.h"
#include "crypto/x509.h"

namespace certfleet::agent {
namespace {

std::int64_t Seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
  out.append(name).append(" ").append(type).append("\n");
}

void Value(std::string& out, double value) {
  char buffer[32];
  auto written =
      value == static_cast<double>(static_cast<std::int64_t>(value))
          ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(value))
          : std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, written.ptr).append("\n");
}

// Label values here are canonical domain names and hex serials: nothing to escape, but a
// quote or backslash must still never break the line.
std::string Label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c != '\n') out += c;
  }
  return out;
}

}  // namespace

MetricsTextfile::MetricsTextfile(std::filesystem::path file, const CertStore& store,
                                 std::filesystem::path output_dir)
    : file_(std::move(file)), store_(store), output_dir_(std::move(output_dir)) {}

void MetricsTextfile::AfterPass(const Result<PassSummary>& pass, Duration took, TimePoint now) {
  last_pass_ = Seconds(now);
  last_duration_ = std::chrono::duration<double>(took).count();
  if (pass) {
    ++passes_ok_;
    last_success_ = last_pass_;
    deployed_ += pass->deployed;
    failed_ += pass->failed;
    removed_ += pass->removed;
    reloads_ += pass->reloads;
  } else {
    ++passes_failed_;
  }
  auto written = WriteFileAtomically(file_, Render(now), 0644);
  if (!written && written.error().message != last_error_) {
    last_error_ = written.error().message;
    spdlog::warn("metrics_textfile: {}", last_error_);
  } else if (written) {
    last_error_.clear();
  }
}

std::string MetricsTextfile::Render(TimePoint) const {
  std::string out;
  Family(out, "certfleet_agent_last_pass_timestamp_seconds", "gauge",
         "When the agent's last pass ended, as a Unix time.");
  if (last_pass_ >= 0) {
    out += "certfleet_agent_last_pass_timestamp_seconds ";
    Value(out, static_cast<double>(last_pass_));
  }
  Family(out, "certfleet_agent_last_successful_pass_timestamp_seconds", "gauge",
         "When a pass last read the hub's desired state, as a Unix time.");
  if (last_success_ >= 0) {
    out += "certfleet_agent_last_successful_pass_timestamp_seconds ";
    Value(out, static_cast<double>(last_success_));
  }
  Family(out, "certfleet_agent_pass_duration_seconds", "gauge", "How long the last pass took.");
  out += "certfleet_agent_pass_duration_seconds ";
  Value(out, last_duration_);
  Family(out, "certfleet_agent_passes_total", "counter",
         "Passes since the agent started, by result (failed: the hub was unreachable).");
  out += "certfleet_agent_passes_total{result=\"ok\"} ";
  Value(out, static_cast<double>(passes_ok_));
  out += "certfleet_agent_passes_total{result=\"failed\"} ";
  Value(out, static_cast<double>(passes_failed_));
  Family(out, "certfleet_agent_deployments_total", "counter",
         "Certificates deployed (and verified served), failed or removed since the start.");
  for (const auto& [outcome, n] : {std::pair<std::string_view, std::int64_t>{"deployed", deployed_},
                                   {"failed", failed_},
                                   {"removed", removed_}}) {
    out.append("certfleet_agent_deployments_total{outcome=\"").append(outcome).append("\"} ");
    Value(out, static_cast<double>(n));
  }
  Family(out, "certfleet_agent_reloads_total", "counter", "Web server reloads since the start.");
  out += "certfleet_agent_reloads_total ";
  Value(out, static_cast<double>(reloads_));
  std::string expiry, serials;
  if (auto inventory = store_.ReadInventory()) {
    for (const auto& [domain, installed] : *inventory) {
      if (installed.sha256.empty()) continue;
      auto pem = ReadFile(output_dir_ / "live" / DirectoryName(domain) / "cert.pem", 1 << 20);
      if (!pem) continue;
      auto leaf = crypto::Certificate::FromPem(*pem);
      if (!leaf) continue;
      const std::string name = Label(domain);
      expiry +=
          "certfleet_agent_certificate_expiration_timestamp_seconds{domain=\"" + name + "\"} ";
      Value(expiry, static_cast<double>(Seconds(leaf->NotAfter())));
      serials += "certfleet_agent_deployed_serial_info{domain=\"" + name + "\",serial=\"" +
                 Label(leaf->SerialHex()) + "\"} 1\n";
    }
  }
  Family(out, "certfleet_agent_certificate_expiration_timestamp_seconds", "gauge",
         "Not-after of the certificate installed in live/ for the domain, as a Unix time.");
  out += expiry;
  Family(out, "certfleet_agent_deployed_serial_info", "gauge",
         "1 with the serial (hex) of the certificate installed in live/ for the domain.");
  out += serials;
  return out;
}

}  // namespace certfleet::agent
