#include "dns/message.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "dns/ldns_util.h"

namespace certfleet::dns {
namespace {

using internal::CharacterString;
using internal::NameText;
using internal::PacketPtr;
using internal::TextPtr;

constexpr std::size_t kTsigErrorField = 5;  // RFC 8945 §4.2: algorithm, time, fudge, MAC,
                                            // original id, error, other data

std::string RdfText(const ldns_rdf* rdf) {
  TextPtr text(ldns_rdf2str(rdf));
  return text ? std::string(text.get()) : std::string();
}

std::string RecordData(const ldns_rr* rr) {
  const ldns_rr_type type = ldns_rr_get_type(rr);
  const std::size_t count = ldns_rr_rd_count(rr);
  std::string data;
  if (type == LDNS_RR_TYPE_TXT) {
    for (std::size_t i = 0; i < count; ++i) data += CharacterString(ldns_rr_rdf(rr, i));
    return data;
  }
  if ((type == LDNS_RR_TYPE_CNAME || type == LDNS_RR_TYPE_NS) && count == 1)
    return NameText(ldns_rr_rdf(rr, 0));
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) data += ' ';
    data += RdfText(ldns_rr_rdf(rr, i));
  }
  return data;
}

std::vector<Record> Section(const ldns_rr_list* list) {
  std::vector<Record> records;
  const std::size_t count = list == nullptr ? 0 : ldns_rr_list_rr_count(list);
  records.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(list, i);
    records.push_back(Record{NameText(ldns_rr_owner(rr)),
                             static_cast<std::uint16_t>(ldns_rr_get_type(rr)), ldns_rr_ttl(rr),
                             RecordData(rr)});
  }
  return records;
}

std::optional<int> TsigError(const ldns_pkt* packet) {
  const ldns_rr* tsig = ldns_pkt_tsig(packet);
  if (tsig == nullptr) return std::nullopt;
  if (ldns_rr_rd_count(tsig) <= kTsigErrorField) return std::nullopt;
  const ldns_rdf* field = ldns_rr_rdf(tsig, kTsigErrorField);
  if (field == nullptr || ldns_rdf_size(field) != 2) return std::nullopt;
  return ldns_rdf2native_int16(field);
}

}  // namespace

std::string RcodeName(int code) {
  static constexpr std::array<const char*, 11> kNames = {
      "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
  if (code >= 0 && static_cast<std::size_t>(code) < kNames.size())
    return kNames[static_cast<std::size_t>(code)];
  return "RCODE " + std::to_string(code);
}

std::string TypeName(std::uint16_t type) {
  TextPtr text(ldns_rr_type2str(static_cast<ldns_rr_type>(type)));
  return text ? std::string(text.get()) : "TYPE" + std::to_string(type);
}

std::vector<std::string> Message::TxtAt(std::string_view name) const {
  const std::string wanted = CanonicalName(name);
  std::vector<std::string> values;
  for (const Record& record : answer) {
    if (record.type == rrtype::kTxt && record.name == wanted) values.push_back(record.data);
  }
  return values;
}

std::string Message::CnameOf(std::string_view name) const {
  const std::string wanted = CanonicalName(name);
  for (const Record& record : answer) {
    if (record.type == rrtype::kCname && record.name == wanted) return record.data;
  }
  return "";
}

Result<Message> ParseMessage(std::string_view wire) {
  auto parsed = internal::ParseWire(wire);
  if (!parsed) return Fail(parsed.error());
  const PacketPtr packet = std::move(*parsed);
  Message message;
  message.id = ldns_pkt_id(packet.get());
  message.response = ldns_pkt_qr(packet.get());
  message.authoritative = ldns_pkt_aa(packet.get());
  message.truncated = ldns_pkt_tc(packet.get());
  message.recursion_desired = ldns_pkt_rd(packet.get());
  message.recursion_available = ldns_pkt_ra(packet.get());
  message.opcode = static_cast<int>(ldns_pkt_get_opcode(packet.get()));
  message.rcode = ldns_pkt_get_rcode(packet.get());
  const ldns_rr_list* question = ldns_pkt_question(packet.get());
  if (question != nullptr && ldns_rr_list_rr_count(question) > 0) {
    const ldns_rr* q = ldns_rr_list_rr(question, 0);
    message.question_name = NameText(ldns_rr_owner(q));
    message.question_type = static_cast<std::uint16_t>(ldns_rr_get_type(q));
  }
  message.answer = Section(ldns_pkt_answer(packet.get()));
  message.authority = Section(ldns_pkt_authority(packet.get()));
  message.additional = Section(ldns_pkt_additional(packet.get()));
  message.tsig_error = TsigError(packet.get());
  return message;
}

std::uint16_t RandomMessageId() {
  std::uint16_t id = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&id), sizeof id) != 1) {
    // OpenSSL's generator failing means the process is in trouble; an id from the
    // address of a stack variable is still better than a constant.
    id = static_cast<std::uint16_t>(reinterpret_cast<std::uintptr_t>(&id) >> 4);
  }
  return id;
}

Result<Query> BuildQuery(std::string_view name, std::uint16_t type, bool recursion_desired) {
  auto owner = internal::NameRdf(name);
  if (!owner) return Fail(owner.error());
  // ldns_pkt_query_new takes ownership of the name.
  PacketPtr packet(ldns_pkt_query_new(owner->release(), static_cast<ldns_rr_type>(type),
                                      LDNS_RR_CLASS_IN, recursion_desired ? LDNS_RD : 0));
  if (!packet) return Fail(ErrorCode::kInternal, "ldns could not build a DNS query");
  Query query;
  query.id = RandomMessageId();
  query.name = CanonicalName(name);
  query.type = type;
  ldns_pkt_set_id(packet.get(), query.id);
  ldns_pkt_set_edns_udp_size(packet.get(), 1232);
  auto wire = internal::ToWire(packet.get());
  if (!wire) return Fail(wire.error());
  query.wire = std::move(*wire);
  return query;
}

std::string CanonicalName(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out.back() == '.') out.pop_back();
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsAtOrBelow(std::string_view name, std::string_view zone) {
  if (zone.empty()) return true;
  if (name == zone) return true;
  return name.size() > zone.size() && name.ends_with(zone) &&
         name[name.size() - zone.size() - 1] == '.';
}

}  // namespace certfleet::dns
