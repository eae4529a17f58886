#include "k8s/intern.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "k8s/string_map.h"

namespace kr::k8s {
namespace {

TEST(Interned, EqualTextSharesOneEntryThatGoesWithTheLastHandle) {
  const size_t before = Interned::live_count();
  {
    Interned a("pod-template-hash-unique-test-value");
    Interned b(std::string("pod-template-hash-unique-test-value"));
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.view().data(), b.view().data());  // one copy of the text
    EXPECT_EQ(Interned::live_count(), before + 1);
    Interned c = a;  // NOLINT(performance-unnecessary-copy-initialization): the copy is tested
    Interned d = std::move(b);
    EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): moved-from is the empty string
    EXPECT_EQ(c, d);
    EXPECT_EQ(Interned::live_count(), before + 1);
  }
  EXPECT_EQ(Interned::live_count(), before);
}

TEST(Interned, EmptyAndOrdering) {
  EXPECT_EQ(Interned(""), Interned());
  EXPECT_TRUE(Interned("").empty());
  EXPECT_LT(Interned("a"), Interned("b"));
  EXPECT_EQ(Interned("TCP"), std::string_view("TCP"));
  EXPECT_NE(Interned("TCP"), Interned("UDP"));
}

TEST(Interned, ConcurrentCopiesAndReleasesKeepCountsRight) {
  const size_t before = Interned::live_count();
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 20000; ++i) {
        Interned a("shared-" + std::to_string(i % 7));
        Interned b = a;  // NOLINT(performance-unnecessary-copy-initialization): as above
        Interned c("shared-" + std::to_string(i % 7));
        EXPECT_EQ(b, c);
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(Interned::live_count(), before);
}

TEST(StringMap, SortedSetGetReplace) {
  StringMap m;
  m.set("b", "2");
  m.set("a", "1");
  m.set("b", "3");
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.begin()->first, "a");
  EXPECT_EQ(m.get("b"), "3");
  EXPECT_FALSE(m.get("c"));
  EXPECT_TRUE(m.contains("a"));
}

}  // namespace
}  // namespace kr::k8s
