#include "dns/responder/zone_answer.h"

#include <algorithm>
#include <cctype>

#include "dns/ldns_util.h"
#include "dns/message.h"

namespace certfleet::dns {
namespace {

using internal::PacketPtr;
using internal::RdfPtr;
using internal::RrPtr;

constexpr std::size_t kUdpFloor = 512;     // RFC 1035 §4.2.1
constexpr std::size_t kUdpCeiling = 1232;  // DNS flag day 2020: no fragmentation
constexpr std::size_t kTcpCeiling = 65535;
constexpr std::uint8_t kBadVers = 1;  // extended RCODE 16 = BADVERS (RFC 6891 §6.1.3)

Result<RrPtr> RecordFromText(const std::string& text) {
  ldns_rr* rr = nullptr;
  const ldns_status status = ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr);
  if (status != LDNS_STATUS_OK || rr == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "the zone settings make an invalid record \"" + text +
                                                 "\": " + internal::StatusText(status));
  }
  return RrPtr(rr);
}

std::string Fqdn(const std::string& name) { return name.empty() ? "." : name + "."; }

// The first label of `name`, lower-cased (ldns keeps a name as length-prefixed labels).
std::string FirstLabel(const ldns_rdf* name) {
  const std::uint8_t* data = ldns_rdf_data(name);
  const std::size_t size = ldns_rdf_size(name);
  if (size == 0) return "";
  const std::size_t length = std::min<std::size_t>(data[0], size - 1);
  std::string label(reinterpret_cast<const char*>(data + 1), length);
  std::transform(label.begin(), label.end(), label.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return label;
}

}  // namespace

struct ZoneAnswerer::Impl {
  ZoneSettings settings;
  const TxtSource& source;
  RdfPtr zone;
  RrPtr soa;           // answer to SOA queries (apex_ttl)
  RrPtr negative_soa;  // authority of NXDOMAIN/NODATA (txt_ttl: the negative TTL)
  std::vector<RrPtr> ns;

  Status Build();
  bool Respond(const ldns_pkt* query, Transport transport, std::string* out) const;
  void Decide(const ldns_pkt* query, ldns_pkt* response) const;
  void AnswerApex(const ldns_rr* question, ldns_pkt* response) const;
  void AnswerBelow(const ldns_rr* question, ldns_pkt* response) const;
  void NoData(ldns_pkt* response) const;
  void NxDomain(ldns_pkt* response) const;
  bool Render(const ldns_pkt* query, PacketPtr response, std::size_t limit, std::string* out) const;
};

Status ZoneAnswerer::Impl::Build() {
  auto zone_rdf = internal::NameRdf(settings.zone);
  if (!zone_rdf) return Fail(zone_rdf.error());
  zone = std::move(*zone_rdf);
  const std::string hostmaster =
      settings.hostmaster.empty() ? "hostmaster." + settings.zone : settings.hostmaster;
  const std::string soa_rdata = Fqdn(settings.nameservers.front()) + " " + Fqdn(hostmaster) + " " +
                                std::to_string(settings.serial) + " 3600 600 86400 " +
                                std::to_string(settings.txt_ttl);
  auto apex_soa = RecordFromText(Fqdn(settings.zone) + " " + std::to_string(settings.apex_ttl) +
                                 " IN SOA " + soa_rdata);
  auto low_soa = RecordFromText(Fqdn(settings.zone) + " " + std::to_string(settings.txt_ttl) +
                                " IN SOA " + soa_rdata);
  if (!apex_soa) return Fail(apex_soa.error());
  if (!low_soa) return Fail(low_soa.error());
  soa = std::move(*apex_soa);
  negative_soa = std::move(*low_soa);
  for (const std::string& server : settings.nameservers) {
    auto record = RecordFromText(Fqdn(settings.zone) + " " + std::to_string(settings.apex_ttl) +
                                 " IN NS " + Fqdn(server));
    if (!record) return Fail(record.error());
    ns.push_back(std::move(*record));
  }
  return Ok();
}

namespace {

void Push(ldns_pkt* packet, ldns_pkt_section section, const ldns_rr* rr) {
  ldns_pkt_push_rr(packet, section, ldns_rr_clone(rr));
}

// A record at the question's owner name exactly as the client wrote it.
ldns_rr* AtQuestionName(const ldns_rr* question, ldns_rr_type type, std::uint32_t ttl) {
  ldns_rr* rr = ldns_rr_new();
  ldns_rr_set_owner(rr, ldns_rdf_clone(ldns_rr_owner(question)));
  ldns_rr_set_type(rr, type);
  ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
  ldns_rr_set_ttl(rr, ttl);
  return rr;
}

void PushString(ldns_rr* rr, std::string_view value) {
  if (auto text = internal::CharacterStringRdf(value)) ldns_rr_push_rdf(rr, text->release());
}

// RFC 8482 §4.2: one synthesized HINFO instead of every record.
void AnswerAny(const ldns_rr* question, std::uint32_t ttl, ldns_pkt* response) {
  ldns_rr* hinfo = AtQuestionName(question, LDNS_RR_TYPE_HINFO, ttl);
  PushString(hinfo, "RFC8482");
  PushString(hinfo, "");
  ldns_pkt_push_rr(response, LDNS_SECTION_ANSWER, hinfo);
}

PacketPtr NewResponse(const ldns_pkt* query, ldns_pkt_rcode code) {
  PacketPtr response(ldns_pkt_new());
  ldns_pkt_set_id(response.get(), ldns_pkt_id(query));
  ldns_pkt_set_qr(response.get(), true);
  ldns_pkt_set_opcode(response.get(), ldns_pkt_get_opcode(query));
  ldns_pkt_set_rd(response.get(), ldns_pkt_rd(query));
  ldns_pkt_set_cd(response.get(), ldns_pkt_cd(query));
  ldns_pkt_set_rcode(response.get(), static_cast<std::uint8_t>(code));
  const ldns_rr_list* questions = ldns_pkt_question(query);
  for (std::size_t i = 0; questions != nullptr && i < ldns_rr_list_rr_count(questions); ++i)
    Push(response.get(), LDNS_SECTION_QUESTION, ldns_rr_list_rr(questions, i));
  if (ldns_pkt_edns(query)) {
    ldns_pkt_set_edns_udp_size(response.get(), static_cast<std::uint16_t>(kUdpCeiling));
    ldns_pkt_set_edns_version(response.get(), 0);
  }
  return response;
}

std::size_t Limit(const ldns_pkt* query, Transport transport) {
  if (transport == Transport::kTcp) return kTcpCeiling;
  if (!ldns_pkt_edns(query)) return kUdpFloor;
  return std::clamp<std::size_t>(ldns_pkt_edns_udp_size(query), kUdpFloor, kUdpCeiling);
}

// A response built from the header alone, for a message ldns cannot parse.
bool HeaderOnly(std::string_view query, std::string* out) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(query.data());
  PacketPtr response(ldns_pkt_new());
  ldns_pkt_set_id(response.get(), LDNS_ID_WIRE(bytes));
  ldns_pkt_set_qr(response.get(), true);
  ldns_pkt_set_opcode(response.get(), static_cast<ldns_pkt_opcode>(LDNS_OPCODE_WIRE(bytes)));
  ldns_pkt_set_rd(response.get(), LDNS_RD_WIRE(bytes) != 0);
  ldns_pkt_set_rcode(response.get(), LDNS_RCODE_FORMERR);
  auto wire = internal::ToWire(response.get());
  if (!wire) return false;
  *out = std::move(*wire);
  return true;
}

}  // namespace

void ZoneAnswerer::Impl::NoData(ldns_pkt* response) const {
  Push(response, LDNS_SECTION_AUTHORITY, negative_soa.get());
}

void ZoneAnswerer::Impl::NxDomain(ldns_pkt* response) const {
  ldns_pkt_set_rcode(response, LDNS_RCODE_NXDOMAIN);
  Push(response, LDNS_SECTION_AUTHORITY, negative_soa.get());
}

void ZoneAnswerer::Impl::AnswerApex(const ldns_rr* question, ldns_pkt* response) const {
  switch (ldns_rr_get_type(question)) {
    case LDNS_RR_TYPE_SOA:
      Push(response, LDNS_SECTION_ANSWER, soa.get());
      return;
    case LDNS_RR_TYPE_NS:
      for (const RrPtr& record : ns) Push(response, LDNS_SECTION_ANSWER, record.get());
      return;
    case LDNS_RR_TYPE_ANY:
      AnswerAny(question, settings.apex_ttl, response);
      return;
    default:
      NoData(response);
  }
}

void ZoneAnswerer::Impl::AnswerBelow(const ldns_rr* question, ldns_pkt* response) const {
  const ldns_rdf* name = ldns_rr_owner(question);
  if (ldns_dname_label_count(name) != ldns_dname_label_count(zone.get()) + 1) {
    NxDomain(response);  // deeper names never exist
    return;
  }
  const std::vector<std::string> values = source.Lookup(FirstLabel(name));
  if (values.empty()) {
    NxDomain(response);
    return;
  }
  const ldns_rr_type type = ldns_rr_get_type(question);
  if (type == LDNS_RR_TYPE_ANY) {
    AnswerAny(question, settings.txt_ttl, response);
  } else if (type == LDNS_RR_TYPE_TXT) {
    for (const std::string& value : values) {
      ldns_rr* txt = AtQuestionName(question, LDNS_RR_TYPE_TXT, settings.txt_ttl);
      PushString(txt, value);
      ldns_pkt_push_rr(response, LDNS_SECTION_ANSWER, txt);
    }
  } else {
    NoData(response);
  }
}

void ZoneAnswerer::Impl::Decide(const ldns_pkt* query, ldns_pkt* response) const {
  if (ldns_pkt_get_opcode(query) != LDNS_PACKET_QUERY) {
    ldns_pkt_set_rcode(response, LDNS_RCODE_NOTIMPL);
    return;
  }
  if (ldns_pkt_qdcount(query) != 1) {
    ldns_pkt_set_rcode(response, LDNS_RCODE_FORMERR);
    return;
  }
  if (ldns_pkt_edns(query) && ldns_pkt_edns_version(query) != 0) {
    ldns_pkt_set_edns_extended_rcode(response, kBadVers);
    return;
  }
  const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(query), 0);
  const ldns_rr_class klass = ldns_rr_get_class(question);
  const ldns_rr_type type = ldns_rr_get_type(question);
  const ldns_rdf* name = ldns_rr_owner(question);
  const bool apex = ldns_dname_compare(name, zone.get()) == 0;
  const bool ours = apex || ldns_dname_is_subdomain(name, zone.get());
  if (!ours || (klass != LDNS_RR_CLASS_IN && klass != LDNS_RR_CLASS_ANY) ||
      type == LDNS_RR_TYPE_AXFR || type == LDNS_RR_TYPE_IXFR) {
    ldns_pkt_set_rcode(response, LDNS_RCODE_REFUSED);
    return;
  }
  ldns_pkt_set_aa(response, true);
  if (apex) {
    AnswerApex(question, response);
  } else {
    AnswerBelow(question, response);
  }
}

bool ZoneAnswerer::Impl::Render(const ldns_pkt* query, PacketPtr response, std::size_t limit,
                                std::string* out) const {
  auto wire = internal::ToWire(response.get());
  if (wire && wire->size() <= limit) {
    *out = std::move(*wire);
    return true;
  }
  // Too large for the client's buffer: the question alone, with TC (RFC 2181 §9).
  PacketPtr truncated = NewResponse(query, ldns_pkt_get_rcode(response.get()));
  ldns_pkt_set_aa(truncated.get(), ldns_pkt_aa(response.get()));
  ldns_pkt_set_tc(truncated.get(), true);
  wire = internal::ToWire(truncated.get());
  if (!wire) return false;
  *out = std::move(*wire);
  return true;
}

bool ZoneAnswerer::Impl::Respond(const ldns_pkt* query, Transport transport,
                                 std::string* out) const {
  PacketPtr response = NewResponse(query, LDNS_RCODE_NOERROR);
  Decide(query, response.get());
  return Render(query, std::move(response), Limit(query, transport), out);
}

Status ValidateZoneSettings(const ZoneSettings& s) {
  const std::string what = "DNS zone \"" + s.zone + "\"";
  if (s.zone.empty()) return Fail(ErrorCode::kInvalidArgument, "the delegated DNS zone is empty");
  if (auto zone = internal::NameRdf(s.zone); !zone) return Fail(zone.error().WithContext(what));
  if (s.nameservers.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                what +
                    ": at least one name server (the hubs' DNS names) is needed for its NS "
                    "records");
  }
  for (const std::string& server : s.nameservers) {
    if (auto name = internal::NameRdf(server); !name) return Fail(name.error().WithContext(what));
    if (IsAtOrBelow(CanonicalName(server), s.zone)) {
      return Fail(ErrorCode::kInvalidArgument,
                  what + ": name server " + server +
                      " lies inside the zone itself and would need glue; name the hubs by "
                      "names outside it (e.g. hub1.provider.net)");
    }
  }
  if (!s.hostmaster.empty()) {
    if (auto name = internal::NameRdf(s.hostmaster); !name)
      return Fail(name.error().WithContext(what + ": hostmaster"));
  }
  return Ok();
}

Result<std::unique_ptr<ZoneAnswerer>> ZoneAnswerer::Create(ZoneSettings settings,
                                                           const TxtSource& source) {
  if (auto valid = ValidateZoneSettings(settings); !valid) return Fail(valid.error());
  settings.zone = CanonicalName(settings.zone);
  auto impl = std::unique_ptr<Impl>(new Impl{std::move(settings), source, {}, {}, {}, {}});
  if (auto built = impl->Build(); !built) return Fail(built.error());
  return std::unique_ptr<ZoneAnswerer>(new ZoneAnswerer(std::move(impl)));
}

ZoneAnswerer::ZoneAnswerer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZoneAnswerer::~ZoneAnswerer() = default;

const ZoneSettings& ZoneAnswerer::settings() const { return impl_->settings; }

bool ZoneAnswerer::Answer(std::string_view query, Transport transport,
                          std::string* response) const {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(query.data());
  if (query.size() < LDNS_HEADER_SIZE || LDNS_QR_WIRE(bytes) != 0) return false;
  auto parsed = internal::ParseWire(query);
  if (!parsed) return HeaderOnly(query, response);
  return impl_->Respond(parsed->get(), transport, response);
}

bool ZoneAnswerer::Truncated(std::string_view query, std::string* response) const {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(query.data());
  if (query.size() < LDNS_HEADER_SIZE || LDNS_QR_WIRE(bytes) != 0) return false;
  auto parsed = internal::ParseWire(query);
  if (!parsed) return false;
  PacketPtr truncated = NewResponse(parsed->get(), LDNS_RCODE_NOERROR);
  ldns_pkt_set_tc(truncated.get(), true);
  auto wire = internal::ToWire(truncated.get());
  if (!wire) return false;
  *response = std::move(*wire);
  return true;
}

}  // namespace certfleet::dns
