// The outbox and audit vocabulary of the discovery roles (store/inventory_book.h,
// store/external_challenge_board.h), backend-neutral like store/events.h: every backend
// persists these drafts as they are.
//
//   inventory.changed           [machine:<name>]  {machine, digest, entries, problems,
//                                                  nginx_error}          event + audit
//   upload.requested            [domain:<name>]   {id, machine, sha256}  audit only
//   upload.done|upload.failed   [domain:<name>]   {id, machine, sha256, error}  audit only
//   challenge.external.put      [domain:<name>]   {token, identifier, expires_at}  audit only
//   challenge.external.delete   [domain:<name>]   {token, identifier}    audit only
// Times in payloads are milliseconds since the Unix epoch. Never key material (a key
// authorization is public, but it is left out too).
#pragma once

#include <string_view>

#include "store/events.h"
#include "store/inventory_types.h"

namespace certfleet::store::events {

inline constexpr std::string_view kInventoryChanged = "inventory.changed";
inline constexpr std::string_view kAuditUploadRequested = "upload.requested";
inline constexpr std::string_view kAuditUploadDone = "upload.done";
inline constexpr std::string_view kAuditUploadFailed = "upload.failed";
inline constexpr std::string_view kAuditExternalChallengePut = "challenge.external.put";
inline constexpr std::string_view kAuditExternalChallengeDelete = "challenge.external.delete";

EventDraft InventoryChanged(std::string_view machine, const MachineInventory& inventory);
EventDraft UploadRequested(std::string_view machine, std::string_view domain,
                           const UploadRequest& r);
// upload.done or upload.failed by r.state.
EventDraft UploadFinished(std::string_view machine, std::string_view domain,
                          const UploadRequest& r);
EventDraft ExternalChallengePut(std::string_view domain, const ExternalChallenge& c);
EventDraft ExternalChallengeDeleted(std::string_view domain, const ExternalChallenge& c);

}  // namespace certfleet::store::events
