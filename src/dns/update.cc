#include "dns/update.h"

#include "dns/ldns_util.h"
#include "dns/message.h"

namespace certfleet::dns {
namespace {

using internal::PacketPtr;
using internal::RrListPtr;
using internal::RrPtr;

constexpr std::uint16_t kFudgeSeconds = 300;  // RFC 8945 §10: the recommended fudge
constexpr std::size_t kTsigMacField = 3;

struct Update {
  const UpdateServer& target;
  std::string name;

  std::string Prefix() const {
    return "RFC 2136 update of " + name + " at " + target.server.ToString() + " (zone " +
           target.zone + ", TSIG key \"" + target.key.name + "\")";
  }
  Error Make(ErrorCode code, const std::string& what) const {
    return Error{code, Prefix() + ": " + what};
  }
};

// A signed UPDATE message carrying `record` in the update section.
Result<PacketPtr> SignedUpdate(const Update& update, RrPtr record) {
  auto zone = internal::NameRdf(update.target.zone);
  if (!zone) return Fail(zone.error());
  RrListPtr changes(ldns_rr_list_new());
  if (!changes || !ldns_rr_list_push_rr(changes.get(), record.get()))
    return Fail(ErrorCode::kInternal, "ldns could not build the update");
  (void)record.release();
  PacketPtr packet(
      ldns_update_pkt_new(zone->release(), LDNS_RR_CLASS_IN, nullptr, changes.get(), nullptr));
  if (!packet) return Fail(ErrorCode::kInternal, "ldns could not build the update");
  ldns_pkt_set_id(packet.get(), RandomMessageId());
  const std::string algorithm = TsigAlgorithmName(update.target.key);
  const ldns_status signed_status = ldns_pkt_tsig_sign(packet.get(), update.target.key.name.c_str(),
                                                       update.target.key.secret.c_str(),
                                                       kFudgeSeconds, algorithm.c_str(), nullptr);
  if (signed_status != LDNS_STATUS_OK) {
    return Fail(update.Make(ErrorCode::kInvalidArgument, "cannot sign with the TSIG key: " +
                                                             internal::StatusText(signed_status)));
  }
  return packet;
}

Error TsigRefused(const Update& update, int error) {
  const std::string& key = update.target.key.name;
  switch (error) {
    case tsigerror::kBadKey:
      return update.Make(ErrorCode::kPermissionDenied,
                         "the server does not know TSIG key \"" + key + "\" with algorithm " +
                             update.target.key.algorithm +
                             " (BADKEY): the key name or algorithm differs from the server's");
    case tsigerror::kBadSig:
      return update.Make(ErrorCode::kPermissionDenied,
                         "the server rejected the signature (BADSIG): the secret of TSIG key \"" +
                             key + "\" differs from the server's");
    case tsigerror::kBadTime:
      return update.Make(ErrorCode::kPermissionDenied,
                         "the server rejected the signature's time (BADTIME): the clocks of "
                         "this host and the server differ by more than 300 s");
    default:
      return update.Make(
          ErrorCode::kPermissionDenied,
          "the server rejected the TSIG signature (TSIG error " + std::to_string(error) + ")");
  }
}

Error RcodeError(const Update& update, int code) {
  const std::string name = RcodeName(code);
  switch (code) {
    case rcode::kRefused:
      return update.Make(ErrorCode::kPermissionDenied,
                         "the server refused the update (REFUSED): allow TSIG key \"" +
                             update.target.key.name + "\" to update TXT records in zone " +
                             update.target.zone + " (BIND: allow-update or update-policy)");
    case rcode::kNotAuth:
      return update.Make(ErrorCode::kInvalidArgument,
                         "the server is not authoritative for zone " + update.target.zone +
                             " (NOTAUTH): check the zone name and the server");
    case rcode::kNotZone:
      return update.Make(ErrorCode::kInvalidArgument,
                         update.name + " is not inside zone " + update.target.zone +
                             " (NOTZONE): the zone is delegated further down; configure that "
                             "zone instead");
    case rcode::kServFail:
      return update.Make(ErrorCode::kUnavailable, "the server failed (SERVFAIL); retrying later");
    default:
      return update.Make(ErrorCode::kProtocol, "the server answered " + name);
  }
}

// The response must be signed with our key over our request's MAC (RFC 8945 §5.3).
Status VerifySigned(const Update& update, ldns_pkt* request, const std::string& wire) {
  auto parsed = internal::ParseWire(wire);
  if (!parsed) {
    return Fail(update.Make(ErrorCode::kProtocol, "the server sent a malformed response"));
  }
  const PacketPtr response = std::move(*parsed);
  const ldns_rr* request_tsig = ldns_pkt_tsig(request);
  const ldns_rdf* request_mac =
      request_tsig == nullptr ? nullptr : ldns_rr_rdf(request_tsig, kTsigMacField);
  const bool ok = ldns_pkt_tsig_verify(
      response.get(), reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size(),
      update.target.key.name.c_str(), update.target.key.secret.c_str(), request_mac);
  if (!ok) {
    return Fail(update.Make(ErrorCode::kProtocol,
                            "the server's answer is not signed with TSIG key \"" +
                                update.target.key.name + "\"; the update is not trusted"));
  }
  return Ok();
}

Status Send(const Update& update, RrPtr record) {
  auto packet = SignedUpdate(update, std::move(record));
  if (!packet) return Fail(packet.error());
  auto wire = internal::ToWire(packet->get());
  if (!wire) return Fail(wire.error());
  Query query{ldns_pkt_id(packet->get()), update.target.zone, rrtype::kSoa, std::move(*wire)};
  auto answer = ExchangeWire(update.target.server, query, update.target.exchange);
  if (!answer) return Fail(answer.error().WithContext(update.Prefix()));
  auto message = ParseMessage(*answer);
  if (!message) return Fail(message.error().WithContext(update.Prefix()));
  if (message->tsig_error && *message->tsig_error != 0)
    return Fail(TsigRefused(update, *message->tsig_error));
  if (message->rcode != rcode::kNoError) return Fail(RcodeError(update, message->rcode));
  return VerifySigned(update, packet->get(), *answer);
}

Result<RrPtr> TxtChange(const Update& update, std::string_view value, std::uint32_t ttl,
                        ldns_rr_class klass) {
  auto record = internal::TxtRecord(update.name, ttl, value);
  if (!record) return Fail(record.error().WithContext(update.Prefix()));
  ldns_rr_set_class(record->get(), klass);
  return record;
}

}  // namespace

Status AddTxtRecord(const UpdateServer& target, std::string_view name, std::string_view value,
                    std::uint32_t ttl) {
  const Update update{target, CanonicalName(name)};
  auto record = TxtChange(update, value, ttl, LDNS_RR_CLASS_IN);
  if (!record) return Fail(record.error());
  return Send(update, std::move(*record));
}

Status DeleteTxtRecord(const UpdateServer& target, std::string_view name, std::string_view value) {
  const Update update{target, CanonicalName(name)};
  // RFC 2136 §2.5.4: class NONE, TTL 0 deletes this one RR from the RRset.
  auto record = TxtChange(update, value, 0, LDNS_RR_CLASS_NONE);
  if (!record) return Fail(record.error());
  return Send(update, std::move(*record));
}

}  // namespace certfleet::dns
