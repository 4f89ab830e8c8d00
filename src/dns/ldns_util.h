// Small RAII and conversion helpers over ldns (NLnet Labs), for the .cc files of src/dns
// only: no public header of src/dns exposes an ldns type.
#pragma once

// <stdbool.h> first: without __bool_true_false_are_defined, ldns/common.h #defines bool,
// true and false as macros, which breaks the C++ standard library.
#include <stdbool.h>  // NOLINT(modernize-deprecated-headers)
// clang-format off
#include <ldns/ldns.h>
// clang-format on

#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet::dns::internal {

struct LdnsDeleter {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
  void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
  void operator()(ldns_rdf* rdf) const { ldns_rdf_deep_free(rdf); }
  void operator()(ldns_rr_list* list) const { ldns_rr_list_deep_free(list); }
  void operator()(ldns_buffer* buffer) const { ldns_buffer_free(buffer); }
  void operator()(std::uint8_t* bytes) const { LDNS_FREE(bytes); }
  void operator()(char* text) const { LDNS_FREE(text); }
};
using PacketPtr = std::unique_ptr<ldns_pkt, LdnsDeleter>;
using RrPtr = std::unique_ptr<ldns_rr, LdnsDeleter>;
using RdfPtr = std::unique_ptr<ldns_rdf, LdnsDeleter>;
using RrListPtr = std::unique_ptr<ldns_rr_list, LdnsDeleter>;
using BufferPtr = std::unique_ptr<ldns_buffer, LdnsDeleter>;
using BytesPtr = std::unique_ptr<std::uint8_t, LdnsDeleter>;
using TextPtr = std::unique_ptr<char, LdnsDeleter>;

// ldns's text for a status code ("Domainname overflow").
std::string StatusText(ldns_status status);

// A domain name rdf from presentation text ("a.example.com" or "a.example.com."; "" is
// the root);
// kInvalidArgument naming `name` when ldns rejects it (too long, bad label).
Result<RdfPtr> NameRdf(std::string_view name);

// The presentation form of a name rdf, lower-cased, without the trailing dot ("" for
// the root).
std::string NameText(const ldns_rdf* name);

// The bytes of a character-string rdf (TXT), without quoting or escapes.
std::string CharacterString(const ldns_rdf* rdf);

// A character-string rdf holding `value` verbatim (at most 255 bytes).
Result<RdfPtr> CharacterStringRdf(std::string_view value);

// A TXT record `name` `ttl` IN TXT "value".
Result<RrPtr> TxtRecord(std::string_view name, std::uint32_t ttl, std::string_view value);

// A DNS message from the wire: kProtocol "malformed DNS message: ..." when ldns refuses it, or
// when its additional section holds more than one TSIG record. ldns_wire2pkt keeps one TSIG
// record and drops the pointer to any earlier one (leaking ~800 bytes per message; found by
// tests/fuzz/dns_answer_fuzz), and RFC 8945 §5.1 allows one, last. Every parse goes here.
Result<PacketPtr> ParseWire(std::string_view wire);

// The wire form of `packet` (kInternal when ldns cannot render it).
Result<std::string> ToWire(const ldns_pkt* packet);

}  // namespace certfleet::dns::internal
