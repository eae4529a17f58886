#include "k8s/backoff.h"

#include <gtest/gtest.h>

namespace kr::k8s {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesUpToTheCapWithJitterBelowTheNominalDelay) {
  Backoff b({milliseconds(100), milliseconds(1000), 2.0, 0.5}, 42);
  const milliseconds nominal[] = {milliseconds(100), milliseconds(200),  milliseconds(400),
                                  milliseconds(800), milliseconds(1000), milliseconds(1000)};
  for (const milliseconds n : nominal) {
    const milliseconds d = b.next();
    EXPECT_LE(d, n);
    EXPECT_GE(d, n / 2);
  }
}

TEST(Backoff, ResetStartsOver) {
  Backoff b({milliseconds(100), milliseconds(30000), 2.0, 0.0}, 1);
  EXPECT_EQ(b.next(), milliseconds(100));
  EXPECT_EQ(b.next(), milliseconds(200));
  b.reset();
  EXPECT_EQ(b.next(), milliseconds(100));
}

TEST(Backoff, JitterSpreadsClientsApart) {
  Backoff a({milliseconds(10000), milliseconds(30000), 2.0, 0.5}, 1);
  Backoff b({milliseconds(10000), milliseconds(30000), 2.0, 0.5}, 2);
  bool differ = false;
  for (int i = 0; i < 5; ++i) {
    differ = differ || a.next() != b.next();
  }
  EXPECT_TRUE(differ);
}

TEST(Backoff, DefaultsFollowClientGo) {
  Backoff b({}, 7);
  milliseconds last{};
  for (int i = 0; i < 20; ++i) {
    last = b.next();
  }
  EXPECT_LE(last, milliseconds(30000));
  EXPECT_GE(last, milliseconds(15000));
}

}  // namespace
}  // namespace kr::k8s
