// MetricsTextfile: the agent's Prometheus metrics as a node_exporter textfile-collector file
// (`metrics_textfile` in agent.toml), rewritten atomically after every pass so the collector
// never reads half a file. docs/metrics.md lists the families:
//
//   certfleet_agent_last_pass_timestamp_seconds, certfleet_agent_last_successful_pass_timestamp_seconds,
//   certfleet_agent_pass_duration_seconds, certfleet_agent_passes_total{result},
//   certfleet_agent_deployments_total{outcome}, certfleet_agent_reloads_total,
//   certfleet_agent_certificate_expiration_timestamp_seconds{domain},
//   certfleet_agent_deployed_serial_info{domain,serial}   (what live/ holds: the hub's
//       certfleet_deployment_served_serial_info seen from the host)
//
// The file is mode 0644 (node_exporter runs as its own user); it holds names and serials,
// never keys. Not thread-safe: called from the pass loop only.
#pragma once

#include <cstdint>
#include <filesystem>

#include "agent/cert_store.h"
#include "agent/deployer.h"
#include "common/clock.h"

namespace certfleet::agent {

class MetricsTextfile {
 public:
  MetricsTextfile(std::filesystem::path file, const CertStore& store,
                  std::filesystem::path output_dir);

  // Records one pass (an error = the hub was unreachable) and rewrites the file. A write
  // failure is logged (once per distinct error), never fatal.
  void AfterPass(const Result<PassSummary>& pass, Duration took, TimePoint now);

  // The file's text for the counters so far and what live/ holds now (for tests).
  std::string Render(TimePoint now) const;

 private:
  std::filesystem::path file_;
  const CertStore& store_;
  std::filesystem::path output_dir_;
  std::int64_t passes_ok_ = 0, passes_failed_ = 0;
  std::int64_t deployed_ = 0, failed_ = 0, removed_ = 0, reloads_ = 0;
  double last_duration_ = 0;
  std::int64_t last_pass_ = -1, last_success_ = -1;
  std::string last_error_;
};

}  // namespace certfleet::agent
