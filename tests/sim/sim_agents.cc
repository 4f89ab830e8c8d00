#include "sim/sim_agents.h"

#include <algorithm>

namespace certfleet::sim {
namespace {

Duration Span(TimePoint from, TimePoint to) {
  return std::chrono::duration_cast<Duration>(to - from);
}

std::string Sha(std::int64_t id) {
  std::string hex = std::to_string(id);
  return std::string(64 - hex.size(), '0') + hex;  // 64 hex digits, as the hub sends
}

}  // namespace

SimAgents::SimAgents(const SimWorld& world)
    : world_(world),
      machines_(static_cast<std::size_t>(world.config().machines())),
      served_(static_cast<std::size_t>(world.config().total_domains())) {
  for (std::size_t m = 0; m < machines_.size(); ++m)
    machines_[m].desired.machine = "m" + std::to_string(m);
}

void SimAgents::Issued(const std::string& name, const SimCertificate& cert, TimePoint now) {
  const int m = cert.domain / std::max(world_.config().domains_per_machine, 1);
  Machine& machine = machines_.at(static_cast<std::size_t>(m));
  certs_[cert.id] = cert;
  machine.domain_index[name] = cert.domain;
  served_.at(static_cast<std::size_t>(cert.domain)).name = name;
  auto& list = machine.desired.certificates;
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& c) { return c.domain == name; });
  if (it == list.end()) it = list.insert(list.end(), agent::DesiredCertificate{.domain = name});
  it->certificate_id = cert.id;
  it->sha256 = Sha(cert.id);
  it->not_after = cert.not_after;
  ++machine.desired.revision;
  Schedule(m, now);  // the watch stream wakes a running agent at once
}

void SimAgents::Schedule(int m, TimePoint at) {
  Machine& machine = machines_.at(static_cast<std::size_t>(m));
  if (auto back = world_.BackOnline(m, at)) at = *back;  // an offline agent converges on start
  if (machine.due && *machine.due <= at) return;
  if (machine.due) queue_.erase({*machine.due, m});
  machine.due = at;
  queue_.insert({at, m});
}

void SimAgents::RunDue(TimePoint now) {
  while (!queue_.empty() && queue_.begin()->first <= now) {
    const int m = queue_.begin()->second;
    queue_.erase(queue_.begin());
    machines_.at(static_cast<std::size_t>(m)).due.reset();
    Pass(m, now);
  }
}

// One reconcile pass: the real plan, then installs that succeed unless nginx -t fails.
void SimAgents::Pass(int m, TimePoint now) {
  if (world_.AgentOffline(m, now)) {
    Schedule(m, now);
    return;
  }
  Machine& machine = machines_.at(static_cast<std::size_t>(m));
  const agent::Plan plan = agent::Reconcile(machine.desired, machine.inventory, machine.memory,
                                            agent::RemovePolicy::kKeep, now);
  const bool nginx_fails = world_.NginxFails(m, now);
  for (const agent::DesiredCertificate& c : plan.install) {
    if (nginx_fails) {
      auto& failed = machine.memory.failed;
      auto previous = failed.find(c.domain);
      failed[c.domain] = agent::NextAttempt(previous == failed.end() ? nullptr : &previous->second,
                                            c.sha256, now, agent::kFirstRetry, agent::kMaxRetry);
      ++failed_installs_;
      continue;
    }
    machine.inventory[c.domain] = {c.sha256, c.certificate_id};
    machine.memory.failed.erase(c.domain);
    machine.memory.reported[c.domain] = c.sha256;
    ++deployments_;
    Serve(machine.domain_index.at(c.domain), certs_.at(*c.certificate_id), now);
  }
  for (const agent::DesiredCertificate& c : plan.confirm)
    machine.memory.reported[c.domain] = c.sha256;
  if (auto due = agent::NextDue(machine.memory)) Schedule(m, std::max(*due, now));
}

void SimAgents::Serve(int domain, const SimCertificate& cert, TimePoint now) {
  Close(domain, now);
  Served& s = served_.at(static_cast<std::size_t>(domain));
  s.cert = cert;
  s.revoked_at = world_.RevokedAt(cert.not_before);
}

// Counts what the domain's nginx served until `until` past its certificate's end.
void SimAgents::Close(int domain, TimePoint until) {
  Served& s = served_.at(static_cast<std::size_t>(domain));
  if (!s.cert) return;
  if (s.cert->not_after < until)
    expired_.push_back({s.name, s.cert->not_after, Span(s.cert->not_after, until)});
  if (s.revoked_at && *s.revoked_at < until && *s.revoked_at < s.cert->not_after) {
    revoked_.push_back(
        {s.name, *s.revoked_at, Span(*s.revoked_at, std::min(until, s.cert->not_after))});
  }
}

std::optional<TimePoint> SimAgents::NextWake() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.begin()->first;
}

void SimAgents::Finish(TimePoint end) {
  for (std::size_t d = 0; d < served_.size(); ++d) Close(static_cast<int>(d), end);
}

}  // namespace certfleet::sim
