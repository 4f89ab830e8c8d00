// application/x-www-form-urlencoded bodies (what the UI's forms and htmx POST).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::hub::ui {

class FormValues {
 public:
  // Parses "a=1&b=x+y&c=%2F" ('+' is a space). kInvalidArgument on a malformed %XX
  // escape ("form field 'c': bad percent escape").
  static Result<FormValues> Parse(std::string_view body);

  // The first value of `name`, or "" when absent.
  std::string Get(std::string_view name) const;
  // Every value of `name`, in body order (e.g. several checked checkboxes).
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return values_.find(name) != values_.end(); }

 private:
  std::multimap<std::string, std::string, std::less<>> values_;
};

// Decodes one form component ('+' → space, %XX → byte); kInvalidArgument on a bad escape.
Result<std::string> FormDecode(std::string_view text);

}  // namespace certfleet::hub::ui
