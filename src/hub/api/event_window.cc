#include "hub/api/event_window.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hub/api/json_model.h"
#include "hub/auth.h"

namespace certfleet::hub::api {
namespace {

std::string EventText(const store::Event& e) {
  return EventJson(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Appends one serialized event to a page body under construction.
void AddToPage(EventPage& page, const std::string& json) {
  page.body += page.count == 0 ? "" : ",";
  page.body += json;
  ++page.count;
}

void Finish(EventPage& page) {
  page.body = "{\"events\":[" + page.body + "],\"revision\":" + std::to_string(page.cursor) + "}";
}

}  // namespace

bool EventFilter::WantsType(std::string_view type) const {
  if (hide_tokens && IsTokenLifecycle(type)) return false;
  return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
}

bool EventFilter::Matches(const store::Event& e) const {
  if (!subject.empty() && e.subject != subject) return false;
  return WantsType(e.type);
}

EventPage PageOf(const std::vector<store::Event>& events, store::Revision since,
                 const EventFilter& filter, std::int64_t limit) {
  EventPage page;
  page.cursor = since;
  for (const auto& e : events) {
    if (e.revision <= since) continue;
    page.cursor = e.revision;
    if (!filter.Matches(e)) continue;
    AddToPage(page, EventText(e));
    if (page.count >= limit) break;
  }
  Finish(page);
  return page;
}

EventWindow::EventWindow(store::Revision start, std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)), start_(start), last_(start) {}

const std::string& EventWindow::Entry::Json() const {
  std::call_once(once_, [this] {
    json_ = EventText(source_);
    source_ = store::Event();
  });
  return json_;
}

void EventWindow::Append(std::vector<store::Event> events) {
  for (auto& e : events) {
    if (e.revision <= last_) continue;  // already held (a concurrent refresh read it too)
    const std::uint64_t seq = base_ + entries_.size();
    last_ = e.revision;
    by_subject_[e.subject].push_back(seq);
    all_.push_back(seq);
    entries_.emplace_back(std::move(e));
  }
  while (entries_.size() > capacity_) {
    const Entry& oldest = entries_.front();
    start_ = oldest.revision;
    auto it = by_subject_.find(oldest.subject);
    it->second.pop_front();  // the oldest of its subject, too
    if (it->second.empty()) by_subject_.erase(it);
    entries_.pop_front();
    all_.pop_front();
    ++base_;
  }
}

EventPage EventWindow::Page(store::Revision since, const EventFilter& filter,
                            std::int64_t limit) const {
  if (filter.subject.empty()) return Collect(&all_, since, filter, limit);
  auto it = by_subject_.find(filter.subject);
  return Collect(it == by_subject_.end() ? nullptr : &it->second, since, filter, limit);
}

std::vector<std::string> EventWindow::SubjectsAfter(store::Revision since) const {
  auto first = std::upper_bound(
      all_.begin(), all_.end(), since,
      [this](store::Revision r, std::uint64_t seq) { return r < At(seq).revision; });
  std::vector<std::string> subjects;
  for (auto it = first; it != all_.end(); ++it) subjects.push_back(At(*it).subject);
  std::sort(subjects.begin(), subjects.end());
  subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
  return subjects;
}

EventPage EventWindow::Collect(const std::deque<std::uint64_t>* candidates, store::Revision since,
                               const EventFilter& filter, std::int64_t limit) const {
  EventPage page;
  page.cursor = std::max(since, last_);  // everything up to last_ was examined
  if (candidates != nullptr) {
    auto first = std::upper_bound(
        candidates->begin(), candidates->end(), since,
        [this](store::Revision r, std::uint64_t seq) { return r < At(seq).revision; });
    for (auto it = first; it != candidates->end(); ++it) {
      const Entry& e = At(*it);
      if (!filter.WantsType(e.type)) continue;
      AddToPage(page, e.Json());
      if (page.count >= limit) {
        page.cursor = e.revision;  // the page is full: later events wait for the next call
        break;
      }
    }
  }
  Finish(page);
  return page;
}

}  // namespace certfleet::hub::api
