#include "store/discovery_events.h"

#include <nlohmann/json.hpp>

namespace certfleet::store::events {
namespace {

using nlohmann::json;

std::int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

EventDraft Draft(std::string_view type, std::string subject, const json& payload) {
  return EventDraft{std::string(type), std::move(subject),
                    payload.dump(-1, ' ', false, json::error_handler_t::replace)};
}

}  // namespace

EventDraft InventoryChanged(std::string_view machine, const MachineInventory& inventory) {
  return Draft(kInventoryChanged, MachineSubject(machine),
               {{"machine", machine},
                {"digest", inventory.digest},
                {"entries", inventory.entries.size()},
                {"problems", inventory.problems},
                {"nginx_error", inventory.nginx_error}});
}

EventDraft UploadRequested(std::string_view machine, std::string_view domain,
                           const UploadRequest& r) {
  return Draft(kAuditUploadRequested, DomainSubject(domain),
               {{"id", r.id}, {"machine", machine}, {"sha256", r.sha256}});
}

EventDraft UploadFinished(std::string_view machine, std::string_view domain,
                          const UploadRequest& r) {
  return Draft(r.state == UploadState::kDone ? kAuditUploadDone : kAuditUploadFailed,
               DomainSubject(domain),
               {{"id", r.id}, {"machine", machine}, {"sha256", r.sha256}, {"error", r.error}});
}

EventDraft ExternalChallengePut(std::string_view domain, const ExternalChallenge& c) {
  return Draft(
      kAuditExternalChallengePut, DomainSubject(domain),
      {{"token", c.token}, {"identifier", c.identifier}, {"expires_at", Millis(c.expires_at)}});
}

EventDraft ExternalChallengeDeleted(std::string_view domain, const ExternalChallenge& c) {
  return Draft(kAuditExternalChallengeDelete, DomainSubject(domain),
               {{"token", c.token}, {"identifier", c.identifier}});
}

}  // namespace certfleet::store::events
