// DNS messages (RFC 1035 §4) as plain values: what the rest of certfleet reads from a
// DNS answer, parsed and built with ldns (no hand-written packet parsing).
//
// Names are presentation text, lower-cased, without the trailing dot ("" is the root).
// Thread safety: free functions on values; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::dns {

// Record types certfleet uses (RFC 1035, 3596, 6891, 8945).
namespace rrtype {
inline constexpr std::uint16_t kA = 1;
inline constexpr std::uint16_t kNs = 2;
inline constexpr std::uint16_t kCname = 5;
inline constexpr std::uint16_t kSoa = 6;
inline constexpr std::uint16_t kTxt = 16;
inline constexpr std::uint16_t kAaaa = 28;
inline constexpr std::uint16_t kOpt = 41;
inline constexpr std::uint16_t kAxfr = 252;
inline constexpr std::uint16_t kAny = 255;
}  // namespace rrtype

// Response codes (RFC 1035 §4.1.1, RFC 2136 §2.2).
namespace rcode {
inline constexpr int kNoError = 0;
inline constexpr int kFormErr = 1;
inline constexpr int kServFail = 2;
inline constexpr int kNxDomain = 3;
inline constexpr int kNotImp = 4;
inline constexpr int kRefused = 5;
inline constexpr int kYxDomain = 6;
inline constexpr int kYxRrset = 7;
inline constexpr int kNxRrset = 8;
inline constexpr int kNotAuth = 9;
inline constexpr int kNotZone = 10;
}  // namespace rcode

// TSIG error codes (RFC 8945 §5.3).
namespace tsigerror {
inline constexpr int kBadSig = 16;
inline constexpr int kBadKey = 17;
inline constexpr int kBadTime = 18;
}  // namespace tsigerror

// "NOERROR", "NXDOMAIN", "REFUSED", ... ("RCODE 23" for others).
std::string RcodeName(int rcode);
// "A", "TXT", "SOA", ... ("TYPE65" for others).
std::string TypeName(std::uint16_t type);

struct Record {
  std::string name;
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  // TXT: the character-strings concatenated (RFC 8555 §8.4 values are one string);
  // CNAME, NS: the target name; A, AAAA: the address; others: ldns's presentation.
  std::string data;
};

struct Message {
  std::uint16_t id = 0;
  bool response = false;
  bool authoritative = false;
  bool truncated = false;
  bool recursion_desired = false;
  bool recursion_available = false;
  int opcode = 0;
  int rcode = 0;
  std::string question_name;  // "" when the message has no question
  std::uint16_t question_type = 0;
  std::vector<Record> answer;
  std::vector<Record> authority;
  std::vector<Record> additional;  // without OPT and TSIG
  // Present when the message carried a TSIG record: its error field (0, or a
  // tsigerror:: code the server put there).
  std::optional<int> tsig_error;

  // The TXT values at `name` in the answer section (following no CNAME).
  std::vector<std::string> TxtAt(std::string_view name) const;
  // The answer's CNAME target for `name`, or "" when there is none.
  std::string CnameOf(std::string_view name) const;
};

// Parses wire bytes. kProtocol "malformed DNS message: <ldns's reason>" for anything
// ldns rejects (short, truncated records, compression loops, names over 255 bytes).
// Fuzz entry point.
Result<Message> ParseMessage(std::string_view wire);

// A standard query (one question, class IN, EDNS0 with a 1232-byte UDP size) with a
// random id. kInvalidArgument when `name` is not a valid DNS name.
struct Query {
  std::uint16_t id = 0;
  std::string name;  // the question, canonical: a response must repeat it
  std::uint16_t type = 0;
  std::string wire;
};
Result<Query> BuildQuery(std::string_view name, std::uint16_t type, bool recursion_desired);

// A random 16-bit message id (unpredictable: it is half of the anti-spoofing check).
std::uint16_t RandomMessageId();

// `name` lower-cased without a trailing dot: the form Message and the callers compare.
std::string CanonicalName(std::string_view name);
// True when `name` equals `zone` or lies below it (both canonical; "" is the root).
bool IsAtOrBelow(std::string_view name, std::string_view zone);

}  // namespace certfleet::dns
