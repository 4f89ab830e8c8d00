// Errors about one input field, worded for people and shared by every front door.
//
// A message starts with the field's label as the web form shows it ("Domain name: …",
// "Other names: …"), so the API, the CLI and the UI print the same words, and a form can
// put the message beside the field it concerns (IsAbout).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet::hub::service {

// Labels of the fields (the form labels; CLI flags and API fields map onto them).
namespace label {
inline constexpr std::string_view kDomainName = "Domain name";
inline constexpr std::string_view kOtherNames = "Other names";
inline constexpr std::string_view kCustomer = "Customer";
inline constexpr std::string_view kMachines = "Machines";
inline constexpr std::string_view kIssuer = "Issuer";
inline constexpr std::string_view kKeyType = "Key type";
inline constexpr std::string_view kProfile = "ACME profile";
inline constexpr std::string_view kName = "Name";
inline constexpr std::string_view kContact = "Contact";
inline constexpr std::string_view kSupportUntil = "Support until";
inline constexpr std::string_view kAddress = "Address";
inline constexpr std::string_view kRole = "Role";
inline constexpr std::string_view kMachine = "Machine";
inline constexpr std::string_view kCertificate = "Certificate chain";
inline constexpr std::string_view kPrivateKey = "Private key";
}  // namespace label

// kInvalidArgument "<label>: <message>".
tl::unexpected<Error> FieldError(std::string_view label, std::string_view message);
// `error` (its code kept) with its message prefixed by "<label>: ".
Error AboutField(std::string_view label, const Error& error);
// True when `error` is about the field with this label.
bool IsAbout(const Error& error, std::string_view label);

// The first error among several Results (in argument order), or Ok().
template <typename... Results>
Status FirstError(const Results&... results) {
  Status status = Ok();
  auto check = [&status](const auto& r) {
    if (status && !r) status = Fail(r.error());
  };
  (check(results), ...);
  return status;
}

}  // namespace certfleet::hub::service
