// The wire format of certfleet events (documented for other consumers in docs/events.md):
// routing keys, the JSON body, and the guard that keeps key material off the bus.
//
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "bus/publisher.h"
#include "bus/subscriber.h"
#include "common/error.h"
#include "store/model.h"

namespace certfleet::bus {

// The version of the body's JSON schema ("version" field); bumped on incompatible change.
inline constexpr int kMessageSchemaVersion = 1;

// Topic routing keys are at most 255 bytes (AMQP shortstr). A name that would make the
// key longer is replaced by this word; consumers of such names bind "#" and read the body.
inline constexpr std::string_view kLongNameWord = "_long_name_";

// "certfleet.machine.<machine>.desired_changed": the only key an agent's queue binds.
// The name goes through RoutingKeyName, so a machine called "#" or "web-*" binds its own
// key, not a wildcard over everyone's (review 2026-12-06, F10).
std::string MachineRoutingKey(std::string_view machine);

// `name` with the binding-key wildcards and the escape character %-encoded: '#' → %23,
// '*' → %2A, '%' → %25. Dots stay: a dotted name spans several words, as documented.
std::string RoutingKeyName(std::string_view name);

// The routing key of an event:
//   machine.desired_changed [machine:M]  → certfleet.machine.M.desired_changed
//   any other type T [kind:NAME]          → certfleet.T.NAME   (e.g.
//   certfleet.domain.updated.a.example) a type without subject name           → certfleet.T
std::string RoutingKeyFor(const store::Event& event);

// True if `text` holds something that looks like key material ("PRIVATE KEY", as in
// every PEM private key header). Events must never carry keys (DESIGN.md).
bool ContainsKeyMaterial(std::string_view text);

// Builds the message for `event`: body {"version","id","revision","type","subject",
// "time","data"} with data = the event's payload object. A payload that contains key
// material is withheld (data = {}, "redacted": true) so consumers still learn that
// something changed; kInvalidArgument when even that body would contain key material
// (e.g. in the subject) or the payload is not a JSON object.
Result<Message> BuildMessage(const store::Event& event);

// Reads a message body back into a Change (for subscribers). Lenient: fields it cannot
// read are left empty/0 (a message without a revision still means "something changed");
// kProtocol only when the body is not a JSON object.
Result<Change> ParseChange(std::string_view body, std::string_view routing_key);

}  // namespace certfleet::bus
