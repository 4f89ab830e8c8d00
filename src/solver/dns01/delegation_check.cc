#include "solver/dns01/delegation_check.h"

#include <algorithm>

#include "dns/message.h"

namespace certfleet::solver {
namespace {

constexpr Duration kProbeLifetime = std::chrono::minutes(2);

std::string CreateLine(const DelegationRecord& record) {
  return record.name + ". CNAME " + record.target + ".";
}

std::string Join(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) joined += (joined.empty() ? "" : ", ") + item;
  return joined;
}

void Set(DelegationFinding& finding, DelegationState state, std::string found,
         std::string message) {
  finding.state = state;
  finding.found = std::move(found);
  finding.message = std::move(message);
}

// What the resolver answered for a name that has no usable record, in words.
std::string Answered(const dns::Message& answer) {
  if (answer.rcode != dns::rcode::kNoError) return dns::RcodeName(answer.rcode);
  std::vector<std::string> values;
  for (const dns::Record& record : answer.answer) {
    if (record.type == dns::rrtype::kTxt) values.push_back("\"" + record.data + "\"");
  }
  return values.empty() ? "no TXT record" : "other TXT values (" + Join(values) + ")";
}

}  // namespace

std::string_view DelegationStateName(DelegationState state) {
  switch (state) {
    case DelegationState::kOk:
      return "ok";
    case DelegationState::kMissing:
      return "missing";
    case DelegationState::kWrongTarget:
      return "wrong_target";
    case DelegationState::kNotReachingHub:
      return "not_reaching_hub";
    case DelegationState::kResolverError:
      return "resolver_error";
  }
  return "unknown";
}

bool DelegationCheck::ok() const {
  return std::all_of(findings.begin(), findings.end(),
                     [](const auto& f) { return f.state == DelegationState::kOk; });
}

std::string DelegationCheck::Problems() const {
  std::vector<std::string> problems;
  for (const DelegationFinding& finding : findings) {
    if (finding.state != DelegationState::kOk) problems.push_back(finding.message);
  }
  std::string joined;
  for (const std::string& problem : problems) joined += (joined.empty() ? "" : "; ") + problem;
  return joined;
}

DelegationChecker::DelegationChecker(DelegatedTxtBoard& board, DelegationCheckSettings settings,
                                     Clock& clock)
    : board_(board), settings_(std::move(settings)), clock_(clock) {}

void DelegationChecker::CheckCname(DelegationFinding& f) const {
  const std::string resolver = "the resolver " + settings_.resolver.ToString();
  auto answer =
      dns::Ask(settings_.resolver, f.record.name, dns::rrtype::kCname, true, settings_.exchange);
  if (!answer) {
    Set(f, DelegationState::kResolverError, answer.error().message,
        f.record.name + ": " + resolver + " could not be asked: " + answer.error().message);
    return;
  }
  const std::string target = answer->CnameOf(f.record.name);
  if (target == f.record.target) return;  // kOk so far; the reach check follows
  if (!target.empty()) {
    Set(f, DelegationState::kWrongTarget, target,
        f.record.name + " is a CNAME to " + target + ", not to this domain's " + f.record.target +
            ": change it to " + CreateLine(f.record));
    return;
  }
  auto txt =
      dns::Ask(settings_.resolver, f.record.name, dns::rrtype::kTxt, true, settings_.exchange);
  if (txt && !txt->TxtAt(f.record.name).empty()) {
    Set(f, DelegationState::kWrongTarget, "TXT",
        f.record.name + " has TXT records instead of a CNAME: replace them by " +
            CreateLine(f.record));
    return;
  }
  Set(f, DelegationState::kMissing, dns::RcodeName(answer->rcode),
      "delegation missing: create " + CreateLine(f.record) + " (" + resolver +
          " finds no CNAME there: " + dns::RcodeName(answer->rcode) + ")");
}

void DelegationChecker::CheckReach(std::vector<DelegationFinding*>& pending) {
  // The probe gets a label of its own, never the domain's: a resolver keeps what it
  // answered for the zone's TTL, and the CA asking right after must get the digests at the
  // domain's label, not a cached probe (or a cached "no record"). The CNAME itself was
  // checked already; this proves that names of the zone reach the hubs through the resolver.
  const std::string key = "probe:" + NewDelegationLabel();
  const std::string probe_label = NewDelegationLabel();
  const std::string probe_name = probe_label + "." + settings_.zone;
  const std::string probe = "certfleet-check-" + NewDelegationLabel();
  if (auto published = board_.Publish(key, probe_label, probe, clock_.Now() + kProbeLifetime);
      !published) {
    for (DelegationFinding* f : pending) {
      Set(*f, DelegationState::kNotReachingHub, "",
          "this hub could not publish its test record: " + published.error().message);
    }
    return;
  }
  std::string answered;
  bool reached = false;
  for (int round = 0; round < 2 && !reached; ++round) {
    if (round > 0) clock_.SleepFor(settings_.probe_retry);
    auto answer =
        dns::Ask(settings_.resolver, probe_name, dns::rrtype::kTxt, true, settings_.exchange);
    reached = answer && std::ranges::count(answer->TxtAt(probe_name), probe) > 0;
    answered = answer ? Answered(*answer) : answer.error().message;
  }
  (void)board_.Withdraw(key);
  for (DelegationFinding* f : pending) {
    if (reached) {
      Set(*f, DelegationState::kOk, "", "");
      continue;
    }
    Set(*f, DelegationState::kNotReachingHub, answered,
        f->record.name + " points to " + f->record.target + " as it should, but " + settings_.zone +
            " does not reach this hub (the resolver answered " + answered +
            " for a test record at " + probe_name + "): delegate " + settings_.zone +
            " with NS records to " + Join(settings_.nameservers) +
            " and make sure they answer DNS on port 53 (UDP and TCP)");
  }
}

DelegationCheck DelegationChecker::Check(const std::vector<std::string>& names,
                                         std::string_view label) {
  DelegationCheck check;
  for (DelegationRecord& record : DelegationRecords(names, label, settings_.zone))
    check.findings.push_back({std::move(record)});
  std::vector<DelegationFinding*> pending;
  for (DelegationFinding& finding : check.findings) {
    CheckCname(finding);
    if (finding.state == DelegationState::kOk) pending.push_back(&finding);
  }
  if (!pending.empty()) CheckReach(pending);
  for (DelegationFinding& finding : check.findings) {
    if (finding.state == DelegationState::kOk) {
      finding.found = finding.record.target;
      finding.message = finding.record.name + " → " + finding.record.target +
                        ": delegated, and the hubs answer it";
    }
  }
  return check;
}

}  // namespace certfleet::solver
