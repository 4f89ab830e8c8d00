// HTML building blocks for the server-rendered UI: context escaping and URL encoding.
//
// Every piece of data that reaches a page goes through one of these:
//   Escape(text)        element text AND quoted attribute values ("..." or '...'): escapes
//                       & < > " ' so data can neither close a tag nor leave an attribute.
//   UrlComponent(text)  one query value or path segment inside an href/hx-get; the result is
//                       plain ASCII ([A-Za-z0-9-._~] and %XX) and still goes through Escape
//                       when put into an attribute (the Html helpers below do both).
// Attribute values are always quoted by our templates; unquoted attributes are never used.
// Pure functions; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace certfleet::hub::ui {

// `text` with & < > " ' replaced by entities. Invalid UTF-8 bytes and control characters
// other than tab/newline/CR become U+FFFD so the browser never sees a broken sequence.
std::string Escape(std::string_view text);

// Percent-encodes every byte outside RFC 3986's unreserved set.
std::string UrlComponent(std::string_view text);

// "path?k1=v1&k2=v2" with each value URL-encoded; pairs with an empty value are left out.
// The result is raw (not HTML-escaped): pass it through Escape inside an attribute.
std::string UrlWithQuery(std::string_view path,
                         std::initializer_list<std::pair<std::string_view, std::string>> params);

// <a href="HREF">TEXT</a>, both escaped.
std::string Link(std::string_view href, std::string_view text);

}  // namespace certfleet::hub::ui
