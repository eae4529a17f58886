#include "k8s/intern.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_set>

namespace kr::k8s {

// The text follows the header in the same allocation.
struct Interned::Entry {
  std::atomic<uint32_t> refs;
  uint32_t size;
  char* text() noexcept { return reinterpret_cast<char*>(this + 1); }
};

namespace {

struct EntryHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct Table {
  std::mutex mutex;
  // Keys are views into the entries' own text; an entry is erased before it is freed.
  std::unordered_set<std::string_view, EntryHash, std::equal_to<>> entries;
};

Table& table() {
  // Never destroyed: handles in static objects may be released during exit.
  static auto* t = new Table();
  return *t;
}

}  // namespace

Interned::Interned(std::string_view text) {
  if (text.empty()) {
    return;  // the empty string is the null handle
  }
  Table& t = table();
  std::lock_guard lock(t.mutex);
  if (auto it = t.entries.find(text); it != t.entries.end()) {
    entry_ = reinterpret_cast<Entry*>(const_cast<char*>(it->data())) - 1;
    entry_->refs.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  void* memory = std::malloc(sizeof(Entry) + text.size());
  if (memory == nullptr) {
    throw std::bad_alloc();
  }
  entry_ = new (memory) Entry{{1}, static_cast<uint32_t>(text.size())};
  std::memcpy(entry_->text(), text.data(), text.size());
  t.entries.emplace(entry_->text(), text.size());
}

Interned::Interned(const Interned& other) noexcept : entry_(other.entry_) {
  if (entry_ != nullptr) {
    entry_->refs.fetch_add(1, std::memory_order_relaxed);
  }
}

Interned& Interned::operator=(const Interned& other) noexcept {
  if (entry_ != other.entry_) {
    Interned copy(other);
    std::swap(entry_, copy.entry_);
  }
  return *this;
}

Interned& Interned::operator=(Interned&& other) noexcept {
  if (this != &other) {
    release();
    entry_ = other.entry_;
    other.entry_ = nullptr;
  }
  return *this;
}

Interned::~Interned() { release(); }

std::string_view Interned::view() const noexcept {
  return entry_ == nullptr ? std::string_view() : std::string_view(entry_->text(), entry_->size);
}

void Interned::release() noexcept {
  if (entry_ == nullptr) {
    return;
  }
  Entry* e = entry_;
  entry_ = nullptr;
  // Fast path: not the last handle. Only a holder can copy, so a count above one cannot reach
  // zero behind our back.
  uint32_t refs = e->refs.load(std::memory_order_relaxed);
  while (refs > 1) {
    if (e->refs.compare_exchange_weak(refs, refs - 1, std::memory_order_acq_rel)) {
      return;
    }
  }
  // Possibly the last handle: decide under the table lock, because a concurrent lookup may be
  // about to hand out a new reference to this entry.
  Table& t = table();
  std::lock_guard lock(t.mutex);
  if (e->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    t.entries.erase(std::string_view(e->text(), e->size));
    e->~Entry();
    std::free(e);
  }
}

size_t Interned::live_count() {
  Table& t = table();
  std::lock_guard lock(t.mutex);
  return t.entries.size();
}

}  // namespace kr::k8s
