#include "hub/service/field_error.h"

namespace certfleet::hub::service {

tl::unexpected<Error> FieldError(std::string_view label, std::string_view message) {
  return Fail(ErrorCode::kInvalidArgument, std::string(label) + ": " + std::string(message));
}

Error AboutField(std::string_view label, const Error& error) {
  Error out = error;
  out.message = std::string(label) + ": " + error.message;
  return out;
}

bool IsAbout(const Error& error, std::string_view label) {
  const std::string_view m = error.message;
  return m.size() > label.size() + 1 && m.substr(0, label.size()) == label &&
         m.substr(label.size(), 2) == ": ";
}

}  // namespace certfleet::hub::service
