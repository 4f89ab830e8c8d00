// Sorting and paging of the small lists (customers, machines: at most 1,000 rows each),
// done in memory after one store query, with column headers that toggle the order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hub/ui/html.h"

namespace certfleet::hub::ui {

struct ListView {
  std::string path;  // "/ui/customers"
  std::string q;     // the search
  std::string sort;  // column key; "" = name
  bool descending = false;
  std::int64_t page = 1;
  std::int64_t page_size = 100;

  std::string Url(std::string_view sort_key, bool desc, std::int64_t page_no) const {
    return UrlWithQuery(path, {{"q", q},
                               {"sort", std::string(sort_key)},
                               {"order", desc ? "desc" : ""},
                               {"page", page_no > 1 ? std::to_string(page_no) : ""}});
  }
  // <th><a href=…>label ▲</a></th>: a click sorts by `key`, a second click reverses.
  std::string Header(std::string_view key, std::string_view label,
                     std::string_view cls = "") const {
    const bool active = sort == key || (sort.empty() && key == "name");
    std::string out = "<th";
    if (!cls.empty()) out += " class=\"" + Escape(cls) + "\"";
    if (active) out += descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"";
    return out + "><a class=\"sort\" href=\"" + Escape(Url(key, active && !descending, 1)) + "\">" +
           Escape(std::string(label) + (active ? (descending ? " ▼" : " ▲") : "")) + "</a></th>";
  }
  // The slice of `rows` on this page, after sorting with `less` (ascending order).
  template <typename T, typename Less>
  std::vector<T> Slice(std::vector<T> rows, Less less) const {
    std::stable_sort(rows.begin(), rows.end(), less);
    if (descending) std::reverse(rows.begin(), rows.end());
    const auto from =
        std::min<std::size_t>(rows.size(), static_cast<std::size_t>((page - 1) * page_size));
    const auto to = std::min<std::size_t>(rows.size(), from + static_cast<std::size_t>(page_size));
    return std::vector<T>(rows.begin() + static_cast<std::ptrdiff_t>(from),
                          rows.begin() + static_cast<std::ptrdiff_t>(to));
  }
  std::string Pager(std::size_t total, std::string_view what) const {
    std::string out =
        "<div class=\"pager\"><span>" + std::to_string(total) + " " + Escape(what) + "</span>";
    if (page > 1) out += Link(Url(sort, descending, page - 1), "‹ previous");
    if (static_cast<std::int64_t>(total) > page * page_size) {
      out += Link(Url(sort, descending, page + 1), "next ›");
    }
    return out + "</div>";
  }
};

}  // namespace certfleet::hub::ui
