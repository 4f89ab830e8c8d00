#include "solver/dns01/delegation.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>

#include "acme/challenge.h"
#include "dns/message.h"

namespace certfleet::solver {
namespace {

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::size_t kLabelLength = 16;

}  // namespace

std::string NewDelegationLabel() {
  std::array<unsigned char, kLabelLength> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("OpenSSL's random generator failed");  // cannot happen in practice
  }
  std::string label;
  for (unsigned char byte : random) label += kAlphabet[byte % kAlphabet.size()];
  return label;
}

bool IsDelegationLabel(std::string_view label) {
  return label.size() == kLabelLength && std::all_of(label.begin(), label.end(), [](char c) {
           return kAlphabet.find(c) != std::string_view::npos;
         });
}

std::vector<DelegationRecord> DelegationRecords(const std::vector<std::string>& names,
                                                std::string_view label, std::string_view zone) {
  std::vector<DelegationRecord> records;
  const std::string target = std::string(label) + "." + dns::CanonicalName(zone);
  for (const std::string& name : names) {
    DelegationRecord record{acme::Dns01RecordName(dns::CanonicalName(name)), target};
    const bool known = std::any_of(records.begin(), records.end(),
                                   [&](const auto& r) { return r.name == record.name; });
    if (!known) records.push_back(std::move(record));
  }
  return records;
}

}  // namespace certfleet::solver
