#include "dns/ldns_util.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace certfleet::dns::internal {
namespace {

// The TSIG records in the additional section, read with ldns's own record parser so the
// positions are exactly ldns_wire2pkt's (ldns reads a TSIG's fields and ignores a longer
// RDLENGTH, so a walk by RDLENGTH sees other records). Stops at the first record ldns
// refuses; ldns_wire2pkt refuses the message there too. Queries with fewer than two
// additional records (nearly all: none, or one OPT) are not read twice.
int AdditionalTsigCount(std::string_view wire) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(wire.data());
  if (wire.size() < LDNS_HEADER_SIZE || LDNS_ARCOUNT(bytes) < 2) return 0;
  const int sections[] = {LDNS_QDCOUNT(bytes), LDNS_ANCOUNT(bytes), LDNS_NSCOUNT(bytes),
                          LDNS_ARCOUNT(bytes)};
  std::size_t pos = LDNS_HEADER_SIZE;
  int tsig = 0;
  for (int section = LDNS_SECTION_QUESTION; section <= LDNS_SECTION_ADDITIONAL; ++section) {
    for (int i = 0; i < sections[section]; ++i) {
      ldns_rr* raw = nullptr;
      const ldns_status status =
          ldns_wire2rr(&raw, bytes, wire.size(), &pos, static_cast<ldns_pkt_section>(section));
      const RrPtr record(raw);
      if (status != LDNS_STATUS_OK || !record) return tsig;
      if (section == LDNS_SECTION_ADDITIONAL && ldns_rr_get_type(record.get()) == LDNS_RR_TYPE_TSIG)
        ++tsig;
    }
  }
  return tsig;
}

}  // namespace

std::string StatusText(ldns_status status) { return ldns_get_errorstr_by_id(status); }

Result<RdfPtr> NameRdf(std::string_view name) {
  const std::string text = name.empty() ? "." : std::string(name);  // "" is the root
  ldns_rdf* rdf = nullptr;
  const ldns_status status = ldns_str2rdf_dname(&rdf, text.c_str());
  if (status != LDNS_STATUS_OK || rdf == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "\"" + text + "\" is not a valid DNS name: " + StatusText(status));
  }
  return RdfPtr(rdf);
}

std::string NameText(const ldns_rdf* name) {
  TextPtr text(ldns_rdf2str(name));
  if (!text) return "";
  std::string out(text.get());
  if (!out.empty() && out.back() == '.') out.pop_back();
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string CharacterString(const ldns_rdf* rdf) {
  if (rdf == nullptr || ldns_rdf_size(rdf) == 0) return "";
  const std::uint8_t* data = ldns_rdf_data(rdf);
  const std::size_t length = std::min<std::size_t>(data[0], ldns_rdf_size(rdf) - 1);
  return std::string(reinterpret_cast<const char*>(data + 1), length);
}

Result<RdfPtr> CharacterStringRdf(std::string_view value) {
  if (value.size() > 255) {
    return Fail(ErrorCode::kInvalidArgument,
                "a TXT string holds at most 255 bytes, not " + std::to_string(value.size()));
  }
  std::string data(1, static_cast<char>(value.size()));
  data.append(value);
  ldns_rdf* rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR, data.size(), data.data());
  if (rdf == nullptr) return Fail(ErrorCode::kInternal, "ldns could not allocate a TXT string");
  return RdfPtr(rdf);
}

Result<RrPtr> TxtRecord(std::string_view name, std::uint32_t ttl, std::string_view value) {
  auto owner = NameRdf(name);
  if (!owner) return Fail(owner.error());
  auto text = CharacterStringRdf(value);
  if (!text) return Fail(text.error());
  RrPtr rr(ldns_rr_new());
  if (!rr) return Fail(ErrorCode::kInternal, "ldns could not allocate a TXT record");
  ldns_rr_set_owner(rr.get(), owner->release());
  ldns_rr_set_type(rr.get(), LDNS_RR_TYPE_TXT);
  ldns_rr_set_ttl(rr.get(), ttl);
  ldns_rr_set_class(rr.get(), LDNS_RR_CLASS_IN);
  if (!ldns_rr_push_rdf(rr.get(), text->get()))
    return Fail(ErrorCode::kInternal, "ldns could not add the TXT string");
  (void)text->release();
  return rr;
}

Result<PacketPtr> ParseWire(std::string_view wire) {
  if (const int tsig = AdditionalTsigCount(wire); tsig > 1) {
    return Fail(ErrorCode::kProtocol,
                "malformed DNS message: " + std::to_string(tsig) + " TSIG records (at most one)");
  }
  ldns_pkt* raw = nullptr;
  const ldns_status status =
      ldns_wire2pkt(&raw, reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size());
  PacketPtr packet(raw);
  if (status != LDNS_STATUS_OK || !packet) {
    return Fail(ErrorCode::kProtocol, "malformed DNS message: " + StatusText(status));
  }
  return packet;
}

Result<std::string> ToWire(const ldns_pkt* packet) {
  std::uint8_t* bytes = nullptr;
  std::size_t size = 0;
  const ldns_status status = ldns_pkt2wire(&bytes, packet, &size);
  BytesPtr owned(bytes);
  if (status != LDNS_STATUS_OK || bytes == nullptr) {
    return Fail(ErrorCode::kInternal, "rendering a DNS message: " + StatusText(status));
  }
  return std::string(reinterpret_cast<const char*>(bytes), size);
}

}  // namespace certfleet::dns::internal
