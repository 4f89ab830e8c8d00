#include "dns/txt_wait.h"

#include <algorithm>

#include "dns/message.h"

namespace certfleet::dns {
namespace {

// What one server said about the record, for the timeout message.
struct ServerState {
  ServerAddress server;
  bool has_it = false;
  std::string last_answer = "no answer yet";
};

std::string Describe(const Message& message) {
  if (message.rcode != rcode::kNoError) return "answered " + RcodeName(message.rcode);
  if (!message.authoritative) return "answered without authority (is it a server of the zone?)";
  const std::size_t count = message.answer.size();
  if (count == 0) return "answered that the name has no TXT record";
  return "answered other TXT values only";
}

void AskOnce(ServerState& state, std::string_view name, std::string_view value,
             const ExchangeOptions& options) {
  auto answer = Ask(state.server, name, rrtype::kTxt, false, options);
  if (!answer) {
    state.last_answer = answer.error().message;
    return;
  }
  const std::vector<std::string> values = answer->TxtAt(name);
  state.has_it = answer->rcode == rcode::kNoError &&
                 std::find(values.begin(), values.end(), value) != values.end();
  if (!state.has_it) state.last_answer = Describe(*answer);
}

Error TimedOut(const std::vector<ServerState>& states, std::string_view name,
               std::chrono::milliseconds timeout) {
  std::string missing;
  for (const ServerState& state : states) {
    if (state.has_it) continue;
    if (!missing.empty()) missing += "; ";
    missing += state.server.ToString() + " " + state.last_answer;
  }
  return Error{ErrorCode::kDeadlineExceeded,
               std::string(name) + " TXT is not on every authoritative server after " +
                   std::to_string(timeout.count() / 1000) + " s: " + missing};
}

std::vector<std::string> RecordsOf(const Message& message, std::uint16_t type) {
  std::vector<std::string> out;
  for (const Record& record : message.answer) {
    if (record.type == type) out.push_back(record.data);
  }
  return out;
}

}  // namespace

Status WaitForTxt(const TxtWait& wait, std::string_view name, std::string_view value,
                  Clock& clock) {
  if (wait.servers.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(name) + ": no authoritative servers to check the TXT record on");
  }
  std::vector<ServerState> states;
  for (const ServerAddress& server : wait.servers) states.push_back({server});
  const TimePoint deadline = clock.Now() + wait.timeout;
  while (true) {
    bool all = true;
    for (ServerState& state : states) {
      if (!state.has_it) AskOnce(state, name, value, wait.exchange);
      all = all && state.has_it;
    }
    if (all) return Ok();
    if (clock.Now() + wait.interval > deadline) return Fail(TimedOut(states, name, wait.timeout));
    clock.SleepFor(wait.interval);
  }
}

Result<std::vector<ServerAddress>> FindAuthoritativeServers(const ServerAddress& resolver,
                                                            std::string_view zone,
                                                            const ExchangeOptions& options) {
  const std::string context = "finding the authoritative servers of " + std::string(zone) +
                              " through the resolver " + resolver.ToString();
  auto ns = Ask(resolver, zone, rrtype::kNs, true, options);
  if (!ns) return Fail(ns.error().WithContext(context));
  const std::vector<std::string> names = RecordsOf(*ns, rrtype::kNs);
  if (ns->rcode != rcode::kNoError || names.empty()) {
    return Fail(ErrorCode::kNotFound,
                context + ": it answered " + RcodeName(ns->rcode) + " with no NS records");
  }
  std::vector<ServerAddress> servers;
  for (const std::string& name : names) {
    for (std::uint16_t type : {rrtype::kA, rrtype::kAaaa}) {
      auto addresses = Ask(resolver, name, type, true, options);
      if (!addresses) return Fail(addresses.error().WithContext(context));
      for (const std::string& ip : RecordsOf(*addresses, type)) servers.push_back({ip, 53});
    }
  }
  if (servers.empty()) {
    return Fail(ErrorCode::kNotFound, context + ": none of its NS names has an address");
  }
  return servers;
}

}  // namespace certfleet::dns
